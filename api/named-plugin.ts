import fp from 'fastify-plugin';

/**
 * `plugin`, still encapsulated, under a name of its own (its function's name unless given). Fastify
 * names a plugin that has none by searching `require.cache` for the module exporting it, twice per
 * `register`: under jest that cache is a view of every module the test file loaded, and the 34
 * unnamed route plugins cost ~1 s per build of the app there (0.1 s in plain Node). The name is the
 * one Fastify found anyway (the function's), in its plugin tree and error messages.
 */
export function named<Plugin extends (...args: never[]) => unknown>(plugin: Plugin, name = plugin.name): Plugin {
  return fp(plugin as never, { name, encapsulate: true }) as unknown as Plugin;
}
