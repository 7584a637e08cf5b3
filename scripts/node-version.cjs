// `npm start` runs this first (prestart): on a Node too old for the project, one line naming the minimum and how to
// get it, instead of `node: bad option: --experimental-strip-types`. Plain CommonJS, so that any Node can run it;
// the minimum is read from package.json's engines, so it is written once.
"use strict";
const { engines } = require("../package.json");

const [, wantedMajor = "0", wantedMinor = "0"] = /(\d+)\.(\d+)/.exec(engines.node) ?? [];
const [major = 0, minor = 0] = process.versions.node.split(".").map((part) => Number(part));
const [wantedMajorNumber, wantedMinorNumber] = [Number(wantedMajor), Number(wantedMinor)];
if (major < wantedMajorNumber || (major === wantedMajorNumber && minor < wantedMinorNumber)) {
  process.stderr.write(
    `acs-identity-connector needs Node.js ${wantedMajorNumber}.${wantedMinorNumber} or later, and this is Node.js ${process.versions.node}: ` +
      "install a current LTS release from https://nodejs.org (or `nvm install --lts`), then run npm install again.\n",
  );
  process.exit(1);
}
