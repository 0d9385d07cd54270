/** Workflow commands, environment files and masking, as GitHub documents them. */
import { describe, expect, it } from 'vitest';
import { Masker, parseCommand, parseEnvFile, StepOutput } from './commands.ts';

describe('workflow commands', () => {
  it('reads a command, its properties and its message, unescaping %25 %0A %0D %3A %2C', () => {
    expect(parseCommand('::error file=app.js,line=1,title=A%3A B%2C C::Missing%0Asemicolon 100%25')).toEqual({
      name: 'error',
      properties: { file: 'app.js', line: '1', title: 'A: B, C' },
      message: 'Missing\nsemicolon 100%',
    });
    expect(parseCommand('not a command')).toBeNull();
  });

  it('groups, annotations with file and line, debug only with ACTIONS_STEP_DEBUG, unknown commands printed', () => {
    const out = new StepOutput(new Masker());
    out.write('::group::Install\nstep one\n::endgroup::\n::warning file=lib/a.mjs,line=3,col=5::look here\n::debug::hidden\n::frobnicate::x\ndone');
    out.end();
    expect(out.lines.map((l) => l.kind)).toEqual(['group', 'output', 'endgroup', 'annotation', 'output', 'output']);
    expect(out.annotations).toEqual([{ level: 'warning', message: 'look here', file: 'lib/a.mjs', line: 3, col: 5 }]);
    const debug = new StepOutput(new Masker(), { debug: true });
    debug.write('::debug::shown\n');
    expect(debug.lines).toEqual([{ kind: 'debug', text: 'shown' }]);
  });

  it('secrets and add-mask values print as ***, on every line after they are known', () => {
    const masker = new Masker();
    masker.add('s3cret');
    const out = new StepOutput(masker);
    out.write('token s3cret\n::add-mask::hunter2\nthe password is hunter2\n');
    expect(out.lines.map((l) => l.text)).toEqual(['token ***', 'the password is ***']);
    expect(masker.holdsSecret('x hunter2 y')).toBe(true);
  });

  it('stop-commands: commands are printed, not run, until the token comes back', () => {
    const out = new StepOutput(new Masker());
    out.write('::stop-commands::pause\n::error::not an annotation\n::pause::\n::error::an annotation\n');
    expect(out.annotations.map((a) => a.message)).toEqual(['an annotation']);
    expect(out.lines[0]!.text).toBe('::error::not an annotation');
  });

  it('set-output still sets the output, with the deprecation warning', () => {
    const out = new StepOutput(new Masker());
    out.write('::set-output name=x::1\n');
    expect(out.legacyOutputs).toEqual({ x: '1' });
    expect(out.annotations[0]!.message).toMatch(/deprecated/);
  });
});

describe('environment files', () => {
  it('NAME=value lines and NAME<<DELIMITER blocks', () => {
    expect(parseEnvFile('a=1\nJSON={"x":2}\nmulti<<EOF\nline 1\nline 2\nEOF\nempty=\n')).toEqual({
      values: [['a', '1'], ['JSON', '{"x":2}'], ['multi', 'line 1\nline 2'], ['empty', '']],
      error: null,
    });
  });

  it('a block without its delimiter, or a line without = or <<, is an error that keeps what came before', () => {
    expect(parseEnvFile('a=1\nb<<EOF\nnever closed\n')).toEqual({ values: [['a', '1']], error: "Matching delimiter not found 'EOF'" });
    expect(parseEnvFile('a=1\noops\n')).toEqual({ values: [['a', '1']], error: "Invalid format 'oops'" });
  });
});
