// Builds the console's assets into ../assets with esbuild, copies axe-core
// for the browser tests into ../testdata, and writes ../assets/manifest.json:
// the SHA-256 of every source and every output, so a Go test can show that
// the committed bundle was built from the committed sources.
//
// Run it after changing anything under src/ or the dependencies:
//   npm ci && npm run build
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { join, relative } from "node:path";

const here = import.meta.dirname;
const assets = join(here, "..", "assets");
const testdata = join(here, "..", "testdata");

rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
mkdirSync(testdata, { recursive: true });

await build({
  entryPoints: [join(here, "src", "balie.css"), join(here, "src", "balie.js")],
  outdir: assets,
  bundle: true,
  minify: true,
  legalComments: "none",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  loader: { ".woff2": "file" },
  assetNames: "fonts/[name]",
  charset: "utf8",
  logLevel: "warning",
});

// The licences of what the bundle holds travel with it.
const licences = [
  ["@nl-design-system-unstable/voorbeeld-design-tokens", "LICENSE.md"],
  ["@utrecht/component-library-css", "LICENSE.md"],
  ["@fontsource/noto-sans", "LICENSE"],
];
let text = "The console's assets bundle these packages, under these licences.\n";
for (const [pkg, file] of licences) {
  const meta = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8"));
  text += `\n==== ${pkg} ${meta.version} (${meta.license})\n\n`;
  text += readFileSync(join(here, "node_modules", pkg, file), "utf8");
}
writeFileSync(join(assets, "LICENSES.txt"), text);

copyFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), join(testdata, "axe.min.js"));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const sha = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");
const balie = join(here, "..");
const entry = (p) => [relative(balie, p).split("\\").join("/"), sha(p)];
const sources = [join(here, "build.mjs"), join(here, "package.json"), join(here, "package-lock.json"), ...files(join(here, "src"))];
const outputs = [...files(assets), join(testdata, "axe.min.js")];
const manifest = {
  sources: Object.fromEntries(sources.map(entry).sort()),
  outputs: Object.fromEntries(outputs.map(entry).sort()),
};
writeFileSync(join(assets, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
