import { defineConfig } from 'tsup';

export const config = defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  treeshake: true,
});

// tsup reads the default export of its config file.
// biome-ignore lint/style/noDefaultExport: required by tsup
export default config;
