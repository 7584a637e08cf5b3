// `npm start` runs this first (prestart): on a Node too old for the project, one line naming the minimum and how to
// get it, instead of `node: bad option: --experimental-strip-types`. Plain CommonJS, so that any Node can run it;
// the minimum is read from package.json's engines, so it is written once.
"use strict";
const { engines } = require("../package.json");

const minimum = /(\d+)\.(\d+)/.exec(engines.node);
const [major, minor] = process.versions.node.split(".").map(Number);
const wanted = [Number(minimum[1]), Number(minimum[2])];
if (major < wanted[0] || (major === wanted[0] && minor < wanted[1])) {
  process.stderr.write(
    `acs-identity-connector needs Node.js ${wanted.join(".")} or later, and this is Node.js ${process.versions.node}: ` +
      "install a current LTS release from https://nodejs.org (or `nvm install --lts`), then run npm install again.\n",
  );
  process.exit(1);
}
