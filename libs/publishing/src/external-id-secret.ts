import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The expected ExternalId, read once from Secrets Manager and cached for the container's life. */
export class ExternalIdSecret {
  private value?: Promise<string>;

  constructor(
    private readonly secretArn: string,
    private readonly client: SecretsManagerClient = new SecretsManagerClient({}),
  ) {}

  get(): Promise<string> {
    this.value ??= this.read().catch((error: unknown) => {
      this.value = undefined;
      throw error;
    });
    return this.value;
  }

  private async read(): Promise<string> {
    const response = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }));
    const secret = response.SecretString?.trim();
    // Fail closed: an empty secret would otherwise authenticate nobody in a confusing way.
    if (!secret) throw new Error(`the ExternalId secret ${this.secretArn} is empty`);
    return secret;
  }
}
