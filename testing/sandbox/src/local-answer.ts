/**
 * Makes one SDK client answer its calls from a function instead of the network (for a service
 * there is no local emulator of, such as Secrets Manager in the drill). Only this client is
 * affected; the rest of the middleware stack runs as usual.
 */
export function answerLocally<C extends { middlewareStack: { add: (...args: any[]) => void } }>(
  client: C,
  answer: (operation: string, input: any) => object,
): C {
  client.middlewareStack.add(
    (_next: unknown, context: { commandName: string }) => async (args: { input: unknown }) => ({
      response: { statusCode: 200, headers: {} },
      output: { ...answer(context.commandName.replace(/Command$/, ''), args.input), $metadata: { httpStatusCode: 200 } },
    }),
    { step: 'deserialize', priority: 'high', name: 'lockdownLocalAnswer', override: true },
  );
  return client;
}
