import type { FunctionApi } from '../adapters/function-api';

/** What the steps act with: the API plus what an earlier observation taught (the role), so a re-read is one round trip. */
export interface FunctionContext {
  api: FunctionApi;
  roleName?: string;
  /** The mappings whose tags a re-read includes: those the recorded steps tagged (`recall`). */
  mappingArns?: string[];
}
