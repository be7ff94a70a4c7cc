/**
 * `$(VAR)` expansion as the kubelet does it for env values, command and args
 * (third_party/forked/golang/expansion): `$(NAME)` becomes the variable's value when it is
 * defined and stays as written otherwise, `$$` is an escaped `$`, any other `$` is kept.
 *
 *   mappingFuncFor(...contexts): (name) => string
 *   expand(input, mapping): string
 *   expandContainerCommandAndArgs(command, args, envs): { command, args }
 */
import type { KeyValue } from './runtime/interface.js';

export type Mapping = (name: string) => string;

/** Looks a name up in the contexts in order; an undefined name maps back to `$(name)`. */
export function mappingFuncFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const v = vars.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

/** Reads what follows a `$`: the text to write, whether it named a variable, and how many characters it took. */
function readVariable(rest: string): { read: string; isVar: boolean; advance: number } {
  if (rest[0] === '$') return { read: '$', isVar: false, advance: 1 };
  if (rest[0] === '(') {
    const close = rest.indexOf(')', 1);
    if (close !== -1) return { read: rest.slice(1, close), isVar: true, advance: close + 1 };
    return { read: '$(', isVar: false, advance: 1 };
  }
  return { read: `$${rest[0]}`, isVar: false, advance: 1 };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const { read, isVar, advance } = readVariable(input.slice(cursor + 1));
    out += isVar ? mapping(read) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** The container's command and args with `$(VAR)` of its final environment expanded (kubecontainer.ExpandContainerCommandAndArgs). */
export function expandContainerCommandAndArgs(
  command: readonly string[],
  args: readonly string[],
  envs: readonly KeyValue[],
): { command: string[]; args: string[] } {
  const mapping = mappingFuncFor(new Map(envs.map((e) => [e.key, e.value])));
  return { command: command.map((c) => expand(c, mapping)), args: args.map((a) => expand(a, mapping)) };
}
