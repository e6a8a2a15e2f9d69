// `npm run bundle:sizes`: what each Lambda bundle loads at a cold start, and what it deploys.
import { APPS, bundleSize } from './bundles';
import { formatRecords } from '@lockdown/cli';

const table = formatRecords(
  Object.fromEntries(
    APPS.map((app) => {
      const { bytes, totalBytes } = bundleSize(app);
      return [app, { 'loaded at cold start (bytes)': bytes, 'deployed (bytes)': totalBytes, 'loaded (KiB)': +(bytes / 1024).toFixed(1) }];
    }),
  ),
);
process.stdout.write(`${table.join('\n')}\n`);
