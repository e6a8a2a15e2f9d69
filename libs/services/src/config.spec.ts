import { loadConfig } from './config';

describe('the configuration', () => {
  it("reads one value of any list setting as a list of one, a service's own included (-c s3BreakGlassPrincipals=<one ARN>)", () => {
    const context: Record<string, string> = {
      allowedPublishers: 'arn:aws:iam::111111111111:role/soar',
      s3BreakGlassPrincipals: 'arn:aws:iam::111111111111:role/breakglass',
    };

    const config = loadConfig((key) => context[key]);

    expect(config.allowedPublishers).toEqual(['arn:aws:iam::111111111111:role/soar']);
    expect(config['s3BreakGlassPrincipals']).toEqual(['arn:aws:iam::111111111111:role/breakglass']);
  });
});
