/**
 * Walks the Conditional Access types of a Microsoft Graph typings file (@microsoft/microsoft-graph-types or its beta
 * counterpart) against the engine's declared model (src/core/tenant/model.ts), and lists every property or enum member
 * Graph has that the model neither models nor declares (ignored or fail-closed). Used by model-schema.test.ts.
 */
import ts from 'typescript';
import {
  FEDERATION_MODEL,
  NAMED_LOCATION_MODEL,
  POLICY_MODEL,
  STRENGTH_MODEL,
  type FieldRule,
} from '../../../src/core/tenant/model.js';

type ObjectRule = Extract<FieldRule, { kind: 'object' }>;

/** A root Graph type and the model rule that reads it. */
export interface WalkRoot {
  /** Interfaces whose properties the rule must declare (a base type and its subtypes give the union of their properties). */
  types: readonly string[];
  /** Where the rule sits, for messages. */
  path: string;
  rule: FieldRule;
}

const GRAPH_ROOTS: readonly WalkRoot[] = [
  { types: ['ConditionalAccessPolicy'], path: 'POLICY_MODEL', rule: POLICY_MODEL },
  {
    types: ['NamedLocation', 'IpNamedLocation', 'CountryNamedLocation'],
    path: 'NAMED_LOCATION_MODEL',
    rule: NAMED_LOCATION_MODEL,
  },
  { types: ['AuthenticationStrengthPolicy'], path: 'STRENGTH_MODEL', rule: STRENGTH_MODEL },
  { types: ['InternalDomainFederation'], path: 'FEDERATION_MODEL', rule: FEDERATION_MODEL },
];

export interface WalkResult {
  /** One line per gap: the Graph type and property (or enum member), the package, and where in the model. */
  problems: string[];
  /** Every `Type.property` the walk checked, for the sanity test. */
  visited: string[];
}

/** The top-level declarations of one typings file (not those of its nested namespaces). */
class GraphTypes {
  readonly interfaces = new Map<string, ts.InterfaceDeclaration[]>();
  readonly aliases = new Map<string, ts.TypeAliasDeclaration>();
  /** Base type name → the interfaces that directly extend it. */
  readonly subtypes = new Map<string, string[]>();
  readonly sf: ts.SourceFile;

  constructor(dtsText: string) {
    const sf = ts.createSourceFile('microsoft-graph.d.ts', dtsText, ts.ScriptTarget.Latest, false);
    this.sf = sf;
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) {
        const name = st.name.text;
        this.interfaces.set(name, [...(this.interfaces.get(name) ?? []), st]);
        for (const base of baseNames(st)) this.subtypes.set(base, [...(this.subtypes.get(base) ?? []), name]);
      } else if (ts.isTypeAliasDeclaration(st)) {
        this.aliases.set(st.name.text, st);
      }
    }
  }

  /** The properties of an interface, its own and those it inherits via `extends`, each with the interface declaring it. */
  properties(name: string, seen = new Set<string>()): Map<string, { sig: ts.PropertySignature; from: string }> {
    const out = new Map<string, { sig: ts.PropertySignature; from: string }>();
    if (seen.has(name)) return out;
    seen.add(name);
    for (const decl of this.interfaces.get(name) ?? []) {
      for (const base of baseNames(decl))
        for (const [k, p] of this.properties(base, seen)) if (!out.has(k)) out.set(k, p);
      for (const m of decl.members) {
        if (!ts.isPropertySignature(m)) continue;
        const key = propertyName(m.name);
        if (key !== undefined) out.set(key, { sig: m, from: name });
      }
    }
    return out;
  }

  /** The interface and, transitively, every interface that extends it. */
  withSubtypes(name: string): string[] {
    const out: string[] = [];
    const todo = [name];
    while (todo.length > 0) {
      const n = todo.shift()!;
      if (out.includes(n)) continue;
      out.push(n);
      todo.push(...(this.subtypes.get(n) ?? []));
    }
    return out;
  }

  /** The members of a string-literal union type alias, or undefined when `name` is not one. */
  enumMembers(name: string, seen = new Set<string>()): string[] | undefined {
    const alias = this.aliases.get(name);
    if (!alias || seen.has(name)) return undefined;
    seen.add(name);
    const out: string[] = [];
    const parts = ts.isUnionTypeNode(alias.type) ? alias.type.types : [alias.type];
    for (const t of parts) {
      if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) out.push(t.literal.text);
      else if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) {
        const inner = this.enumMembers(t.typeName.text, seen);
        if (!inner) return undefined;
        out.push(...inner);
      } else return undefined;
    }
    return out;
  }
}

function baseNames(decl: ts.InterfaceDeclaration): string[] {
  const out: string[] = [];
  for (const clause of decl.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    for (const t of clause.types) if (ts.isIdentifier(t.expression)) out.push(t.expression.text);
  }
  return out;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function entityName(n: ts.EntityName): string {
  return ts.isIdentifier(n) ? n.text : `${entityName(n.left)}.${n.right.text}`;
}

/** A property's type with NullableOption<…>, arrays and null/undefined stripped: the type names it refers to. */
function referencedTypes(node: ts.TypeNode | undefined): { names: string[]; other: boolean } {
  const names: string[] = [];
  let other = false;
  const visit = (t: ts.TypeNode): void => {
    if (ts.isParenthesizedTypeNode(t)) visit(t.type);
    else if (ts.isArrayTypeNode(t)) visit(t.elementType);
    else if (ts.isUnionTypeNode(t)) t.types.forEach(visit);
    else if (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) return;
    else if (t.kind === ts.SyntaxKind.UndefinedKeyword || t.kind === ts.SyntaxKind.NullKeyword) return;
    else if (ts.isTypeReferenceNode(t)) {
      const name = entityName(t.typeName);
      if ((name === 'NullableOption' || name === 'Array' || name === 'ReadonlyArray') && t.typeArguments?.length === 1)
        visit(t.typeArguments[0]!);
      else names.push(name);
    } else other = true;
  };
  if (node) visit(node);
  return { names, other };
}

/** '#microsoft.graph.iPv4CidrRange' → 'ipv4cidrrange', and 'IPv4CidrRange' → the same, to match a subtype to its @odata.type. */
const odataKey = (s: string): string => s.replace(/^#microsoft\.graph\./, '').toLowerCase();

/**
 * The gaps between Graph's types in `dtsText` and the engine's model: properties the model does not declare, enum
 * members it neither models nor declares fail-closed, and Graph types the model reads with a rule of the wrong shape.
 */
export function findModelGaps(
  dtsText: string,
  packageName: string,
  roots: readonly WalkRoot[] = GRAPH_ROOTS,
): WalkResult {
  const graph = new GraphTypes(dtsText);
  const problems: string[] = [];
  const visited: string[] = [];
  // Each (interface, rule) pair is walked once, and each declared property once per rule (a subtype does not
  // repeat what it inherits from a base already walked): that bounds the walk even if types refer to each other.
  const done = new Map<FieldRule, Set<string>>();
  const checked = new Map<FieldRule, Set<string>>();

  const walkObject = (typeNames: readonly string[], rule: ObjectRule, path: string): void => {
    for (const typeName of typeNames) {
      const seen = done.get(rule) ?? new Set<string>();
      done.set(rule, seen);
      if (seen.has(typeName)) continue;
      seen.add(typeName);
      if (!graph.interfaces.has(typeName)) {
        problems.push(`${typeName} (${packageName}): no such interface, yet ${path} reads it as an object`);
        continue;
      }
      const checkedHere = checked.get(rule) ?? new Set<string>();
      checked.set(rule, checkedHere);
      for (const [prop, { sig, from }] of graph.properties(typeName)) {
        // Annotations (@odata.type …) describe the payload; the engine skips them.
        if (prop.includes('@') || checkedHere.has(`${from}.${prop}`)) continue;
        checkedHere.add(`${from}.${prop}`);
        const where = `${typeName}.${prop}`;
        visited.push(where);
        const field = Object.hasOwn(rule.fields, prop) ? rule.fields[prop] : undefined;
        if (!field) {
          const inherited = from === typeName ? '' : `, inherited from ${from}`;
          problems.push(`${where} (${packageName}${inherited}): a property ${path} does not declare`);
          continue;
        }
        walkProperty(where, sig.type, field, `${path}.${prop}`);
      }
    }
  };

  const walkProperty = (where: string, typeNode: ts.TypeNode | undefined, field: FieldRule, path: string): void => {
    const rule = field.kind === 'list' ? field.item : field;
    if (rule.kind === 'ignored' || rule.kind === 'failClosed' || rule.kind === 'value') return;
    const { names, other } = referencedTypes(typeNode);
    const shown = typeNode?.getText(graph.sf) ?? '?';
    if (rule.kind === 'object') {
      const types = names.filter((n) => graph.interfaces.has(n));
      if (types.length === 0 || other || types.length < names.length) {
        problems.push(`${where} (${packageName}): Graph's type is ${shown}, yet ${path} reads it as an object`);
      }
      // A base type stands for its subtypes too; an object rule that names its @odata.types reads only those (any
      // other subtype fails closed on its @odata.type).
      const expanded = types.flatMap((t) => graph.withSubtypes(t));
      const allowed = rule.odataTypes?.map(odataKey);
      walkObject(
        [...new Set(expanded)].filter((t) => types.includes(t) || !allowed || allowed.includes(odataKey(t))),
        rule,
        path,
      );
      return;
    }
    if (rule.kind === 'list') return walkProperty(where, typeNode, rule, path);
    // enum or ids: a scalar (or a collection of them) in Graph.
    const interfaces = names.filter((n) => graph.interfaces.has(n));
    if (interfaces.length > 0) {
      problems.push(
        `${where} (${packageName}): Graph's type is ${shown} (an object), yet ${path} reads it as ${rule.kind}`,
      );
      return;
    }
    if (rule.kind !== 'enum') return;
    for (const name of names) {
      const members = graph.enumMembers(name);
      if (!members) continue;
      for (const m of members) {
        if (rule.values.includes(m) || (rule.failClosed && Object.hasOwn(rule.failClosed, m))) continue;
        problems.push(
          `${name} member "${m}" (${packageName}, at ${where}): neither in the values nor in the failClosed of ${path}`,
        );
      }
    }
  };

  for (const root of roots) {
    if (root.rule.kind !== 'object') {
      problems.push(`${root.path}: a root rule must be an object`);
      continue;
    }
    walkObject(root.types, root.rule, root.path);
  }
  return { problems: [...new Set(problems)], visited };
}
