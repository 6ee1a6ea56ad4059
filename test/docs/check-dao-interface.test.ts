/**
 * Check `dao-interface <source file>`: a ```text sample that summarises interfaces as
 * `name?(parameter, ...): ReturnType` lines (`interface Name { ... }`, one member per line or all on one line,
 * `//` comments ignored) lists exactly the methods of the interfaces of that name in the source file, in
 * their order, with the same optionality, parameter names and return types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { samplesChecked } from '../../scripts/site-samples.js';

/** One method as `name?(a, b): Type`. */
type Signatures = Map<string, string[]>;

/** The interfaces of the sample: each `interface Name { ... }` with its members' signatures. */
function sampleInterfaces(code: string): Signatures {
  const text = code.replace(/\/\/[^\n]*/g, '');
  const interfaces: Signatures = new Map();
  for (const match of text.matchAll(/interface\s+(\w+)\s*\{([^}]*)\}/g)) {
    const members = (match[2] ?? '')
      .split(/\n/)
      .map((line) => line.trim().replace(/\s+/g, ' '))
      .filter((line) => line !== '');
    interfaces.set(match[1] ?? '', members);
  }
  return interfaces;
}

/** The methods of the source file's interfaces named in `names`, as the sample writes them. */
function sourceInterfaces(file: string, names: readonly string[]): Signatures {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces: Signatures = new Map();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement) || !names.includes(statement.name.text)) continue;
    const members = statement.members.filter(ts.isMethodSignature).map((member) => {
      const parameters = member.parameters.map((parameter) => parameter.name.getText(source)).join(', ');
      const optional = member.questionToken === undefined ? '' : '?';
      return `${member.name.getText(source)}${optional}(${parameters}): ${member.type?.getText(source) ?? 'void'}`;
    });
    interfaces.set(statement.name.text, members);
  }
  return interfaces;
}

describe('the interface summaries of the documentation', () => {
  const samples = samplesChecked('dao-interface');
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => {
      const file = sample.check?.args[0];
      expect(file, 'the directive names the source file: dao-interface <file>').toBeDefined();
      const documented = sampleInterfaces(sample.code);
      expect(documented.size).toBeGreaterThan(0);
      const actual = sourceInterfaces(join(REPOSITORY_ROOT, file as string), [...documented.keys()]);
      expect([...actual.keys()].sort()).toEqual([...documented.keys()].sort());
      for (const [name, members] of documented) expect(members, name).toEqual(actual.get(name));
    });
  }
});
