/**
 * Sample findings: GuardDuty's "Generate sample findings" (CreateSampleFindings) and Security Hub's
 * samples describe fictitious resources (i-99999999, GeneratedFindingUserName) in a real account.
 * lockdown never acts on one. The marks are read from the raw event, before any other check, so a
 * sample is recognised even when the rest of it is not a finding lockdown could read.
 */

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `true`, or the string `"true"` in any case (ASFF product fields are strings; some pipelines stringify). */
const isTrue = (value: unknown) => value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');

function parsedSample(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) && isTrue(parsed['sample']);
  } catch {
    return false;
  }
}

/**
 * A GuardDuty finding (EventBridge `detail`) marked as a sample: `service.additionalInfo.sample`, or
 * the API's form `service.additionalInfo.value`, a JSON string `{"sample":true}`.
 */
export function isGuardDutySample(detail: unknown): boolean {
  const service = isObject(detail) ? detail['service'] : undefined;
  const info = isObject(service) ? service['additionalInfo'] : undefined;
  return isObject(info) && (isTrue(info['sample']) || parsedSample(info['value']));
}

/** GuardDuty's sample mark as Security Hub carries it in an ASFF finding's product fields. */
const GUARDDUTY_SAMPLE_PRODUCT_FIELD = 'aws/guardduty/service/additionalInfo/sample';

/** An ASFF finding marked as a sample: the top-level `Sample`, or GuardDuty's product field. */
export function isAsffSample(finding: unknown): boolean {
  if (!isObject(finding)) return false;
  const fields = finding['ProductFields'];
  return isTrue(finding['Sample']) || (isObject(fields) && isTrue(fields[GUARDDUTY_SAMPLE_PRODUCT_FIELD]));
}

/**
 * An OCSF finding marked as a sample. No published OCSF sample shows where Security Hub puts
 * GuardDuty's mark, so every place it could land is read: GuardDuty's product field among the
 * finding's `unmapped` or `vendor_attributes` (flat, or nested as `service.additionalInfo.sample`),
 * a `sample` there, or the label `sample` in `metadata.labels`.
 */
export function isOcsfSample(finding: unknown): boolean {
  if (!isObject(finding)) return false;
  const metadata = finding['metadata'];
  const labels = isObject(metadata) ? metadata['labels'] : undefined;
  if (Array.isArray(labels) && labels.some((l) => typeof l === 'string' && l.trim().toLowerCase() === 'sample')) return true;
  return ['unmapped', 'vendor_attributes'].some((field) => {
    const bag = finding[field];
    if (!isObject(bag)) return false;
    return (
      isTrue(bag['sample']) ||
      isTrue(bag[GUARDDUTY_SAMPLE_PRODUCT_FIELD]) ||
      isTrue(bag['service.additionalInfo.sample']) ||
      isGuardDutySample(bag)
    );
  });
}

/** The id a finding gives itself, if any (for the audit record of one lockdown ignored or refused). */
export function findingIdOf(finding: unknown): string | undefined {
  if (!isObject(finding)) return undefined;
  const metadata = finding['metadata'];
  const id = finding['arn'] ?? finding['Id'] ?? finding['id'] ?? (isObject(metadata) ? metadata['uid'] : undefined);
  return typeof id === 'string' && id.length > 0 ? id.slice(0, 256) : undefined;
}
