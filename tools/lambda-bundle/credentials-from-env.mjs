// Bundling alias for `@aws-sdk/credential-provider-node` in Lambda bundles only.
// In Lambda the execution role's credentials are always in the environment, so the SDK's
// default chain (SSO, INI files, IMDS, web identity, and the nested STS/SSO clients it pulls in)
// is dead weight: about 100 KB of every bundle. Locally and in tests the real chain is used.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = () => fromEnv();
