#!/usr/bin/env node
// The drill (`npm run drill`): runs the TypeScript sources through tsx, with the workspace's path aliases.
const { join } = require('node:path');
process.env.TSX_TSCONFIG_PATH ??= join(__dirname, '..', '..', '..', 'tsconfig.json');
// The drill supports Node 20 on purpose; the SDK's notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../src/main.ts');
