#!/usr/bin/env node
// The `paperboy` command: registers the TypeScript loader, then hands over to src/app/cli.ts.
import { register } from "tsx/esm/api";

register();
await import("../src/app/cli.ts");
