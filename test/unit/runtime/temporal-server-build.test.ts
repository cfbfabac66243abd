import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ensureTemporalServerBinaries,
  temporalServerBinaries,
  TEMPORAL_SERVER_VERSION,
} from '../../../runtime/temporal-server-build';

let tools: string;

beforeEach(() => {
  tools = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-build-'));
});

afterEach(() => {
  fs.rmSync(tools, { recursive: true, force: true });
});

function writeExecutable(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o755 });
}

describe('the Temporal server build', () => {
  it('keeps each version in a folder of its own under .tools', () => {
    expect(temporalServerBinaries(tools)).toEqual({
      version: TEMPORAL_SERVER_VERSION,
      server: path.join(tools, 'temporal-server', TEMPORAL_SERVER_VERSION, 'bin', 'temporal-server'),
      sqlTool: path.join(tools, 'temporal-server', TEMPORAL_SERVER_VERSION, 'bin', 'temporal-sql-tool'),
    });
  });

  it('is skipped when both binaries of the version are there (go is never run)', async () => {
    const binaries = temporalServerBinaries(tools);
    writeExecutable(binaries.server, '#!/bin/sh\n');
    writeExecutable(binaries.sqlTool, '#!/bin/sh\n');
    const lines: string[] = [];
    const found = await ensureTemporalServerBinaries({
      toolsDir: tools,
      goBinary: path.join(tools, 'no-go-here'),
      log: (line) => lines.push(line),
    });
    expect(found).toEqual(binaries);
    expect(lines).toEqual([]);
  });

  it('names the fix in one line when Go is missing, and leaves no half-built binary', async () => {
    await expect(
      ensureTemporalServerBinaries({ toolsDir: tools, goBinary: path.join(tools, 'no-go-here'), log: () => {} }),
    ).rejects.toThrow(/needs Go >= 1\.26\.4.*not on PATH.*TEMPORAL_ADDRESS/);
    const bin = path.dirname(temporalServerBinaries(tools).server);
    expect(fs.existsSync(bin) ? fs.readdirSync(bin) : []).toEqual([]);
    expect(fs.readdirSync(path.dirname(bin))).toEqual([]);
  });

  it('installs what `go install` built under the names the cluster runs, with the caches under .tools/go', async () => {
    // A stand-in `go` that records its environment and "builds" by writing GOBIN/<name>.
    const fakeGo = path.join(tools, 'fake-go');
    writeExecutable(
      fakeGo,
      '#!/bin/sh\nname=$(basename "${2%@*}")\nprintf "#!/bin/sh\\n" > "$GOBIN/$name"\nchmod +x "$GOBIN/$name"\n' +
        'echo "$GOMODCACHE $GOCACHE $GOTOOLCHAIN" > "$GOPATH.env"\n',
    );
    const binaries = await ensureTemporalServerBinaries({ toolsDir: tools, goBinary: fakeGo, log: () => {} });
    expect(fs.statSync(binaries.server).isFile()).toBe(true);
    expect(fs.statSync(binaries.sqlTool).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(tools, 'go.env'), 'utf8').trim()).toBe(
      `${path.join(tools, 'go', 'pkg', 'mod')} ${path.join(tools, 'go', 'cache')} local`,
    );
    // Only the bin folder is left beside it: the scratch folder is gone.
    expect(fs.readdirSync(path.join(tools, 'temporal-server', TEMPORAL_SERVER_VERSION))).toEqual(['bin']);
  });
});
