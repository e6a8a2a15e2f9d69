// Jest globalSetup (ESM, because fauxqs is ESM-only): starts fauxqs (SNS/SQS) on a free
// 127.0.0.1 port and tells the tests where through FAUXQS_ENDPOINT.
export default async function startFauxqs() {
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  globalThis.__FAUXQS__ = server;
  process.env.FAUXQS_ENDPOINT = `http://127.0.0.1:${server.port}`;
}
