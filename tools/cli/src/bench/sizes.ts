// `npm run bundle:sizes`: what each Lambda bundle loads at a cold start, and what it deploys.
import { APPS, bundleSize } from './bundles';

console.table(
  Object.fromEntries(
    APPS.map((app) => {
      const { bytes, totalBytes } = bundleSize(app);
      return [app, { 'loaded at cold start (bytes)': bytes, 'deployed (bytes)': totalBytes, 'loaded (KiB)': +(bytes / 1024).toFixed(1) }];
    }),
  ),
);
