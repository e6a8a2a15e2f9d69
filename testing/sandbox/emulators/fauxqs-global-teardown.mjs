export default async function stopFauxqs() {
  await globalThis.__FAUXQS__?.stop();
}
