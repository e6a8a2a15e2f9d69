import { LocalDynamo, startDynalite } from '@lockdown/sandbox';

export interface Emulators {
  fauxqsEndpoint: string;
  dynamo: LocalDynamo;
  stop(): Promise<void>;
}

interface Fauxqs {
  port: number;
  stop(): Promise<void>;
}

/** Starts fauxqs (SNS/SQS, ESM-only, hence the dynamic import) and dynalite on free 127.0.0.1 ports. */
export async function startEmulators(): Promise<Emulators> {
  const { startFauxqs } = (await import('fauxqs')) as unknown as { startFauxqs(options: object): Promise<Fauxqs> };
  const [fauxqs, dynamo] = await Promise.all([startFauxqs({ port: 0, host: '127.0.0.1', logger: false }), startDynalite()]);
  return {
    fauxqsEndpoint: `http://127.0.0.1:${fauxqs.port}`,
    dynamo,
    async stop() {
      await Promise.all([fauxqs.stop(), dynamo.stop()]);
    },
  };
}
