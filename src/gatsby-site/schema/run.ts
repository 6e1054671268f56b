/**
 * Runs the text of one `graphql` template against the site's schema: parsed, checked for data the
 * site does not have (with a message saying where Gatsby got it), validated, executed; any error is
 * a `QueryError` with its place in the query. Results come back as plain JSON data.
 */
import {
  GraphQLError,
  Kind,
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  execute,
  getLocation,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type Location,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { QueryError } from "./errors.js";
import { missingDataMessage } from "./missing-data.js";

// A template may define fragments it does not use (Gatsby shares fragments between templates) and
// declare page-context variables it does not use.
const RULES = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule && rule !== NoUnusedVariablesRule);

/** Runs `source` with `variables` on `schema`; resolves its data, or throws a `QueryError`. */
export async function runQuery(
  schema: GraphQLSchema,
  source: string,
  variables: Record<string, unknown> = {},
): Promise<{ data: Record<string, unknown> }> {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    throw error instanceof GraphQLError ? fromGraphQLErrors([error]) : error;
  }
  const missing = findMissingData(document, schema);
  if (missing !== undefined) {
    throw new QueryError(withPlace(missingDataMessage(missing.kind, missing.name), missing.place), {
      unknownType: missing.name,
      ...placeOf(missing.place),
    });
  }
  const errors = validate(schema, document, RULES);
  if (errors.length > 0) throw fromGraphQLErrors(errors);
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length === 0)
    throw new QueryError("The query has no operation, only fragments: there is nothing to run");
  const result = await execute({
    schema,
    document,
    variableValues: variables,
    // A template holds one query; with several, the first runs (as the first named one would).
    operationName: operations.length > 1 ? operations[0]?.name?.value : undefined,
  });
  if (result.errors !== undefined && result.errors.length > 0) throw fromGraphQLErrors(result.errors);
  // graphql-js builds results on null-prototype objects; a plain copy is what JSON would give.
  return { data: JSON.parse(JSON.stringify(result.data ?? {})) as Record<string, unknown> };
}

interface MissingData {
  readonly kind: "field" | "type";
  readonly name: string;
  readonly place: Location | undefined;
}

/** The first root field or named type the query asks for that the schema does not have. */
function findMissingData(document: DocumentNode, schema: GraphQLSchema): MissingData | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const rootFields = schema.getQueryType()?.getFields() ?? {};
  const rootName = schema.getQueryType()?.name ?? "Query";
  const seen = new Set<string>();
  const inRoot = (selections: SelectionSetNode): MissingData | undefined => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (!name.startsWith("__") && rootFields[name] === undefined)
          return { kind: "field", name, place: selection.name.loc };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition === undefined || selection.typeCondition.name.value === rootName) {
          const found = inRoot(selection.selectionSet);
          if (found !== undefined) return found;
        }
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment === undefined || fragment.typeCondition.name.value !== rootName || seen.has(fragment.name.value))
          continue;
        seen.add(fragment.name.value);
        const found = inRoot(fragment.selectionSet);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.operation === "query") {
      const found = inRoot(definition.selectionSet);
      if (found !== undefined) return found;
    }
  }
  let missingType: MissingData | undefined;
  visit(document, {
    NamedType(node) {
      if (missingType === undefined && schema.getType(node.name.value) === undefined) {
        missingType = { kind: "type", name: node.name.value, place: node.name.loc };
      }
    },
  });
  return missingType;
}

/** One `QueryError` for graphql's errors: every message, each with its place and a hint where one helps. */
function fromGraphQLErrors(errors: readonly GraphQLError[]): QueryError {
  const first = errors[0]!;
  const missing = errors.map(missingChildField).find((name) => name !== undefined);
  const messages = errors.map((error) => {
    const child = missingChildField(error);
    const text = child === undefined ? withHint(error.message) : missingDataMessage("field", child);
    const location = error.locations?.[0];
    const path = error.path === undefined ? "" : ` (at ${error.path.join(".")})`;
    return `${location === undefined ? "GraphQL query" : `GraphQL query, line ${location.line}, column ${location.column}`}: ${text}${path}`;
  });
  const location = first.locations?.[0];
  return new QueryError(messages.join("\n"), {
    ...(missing === undefined ? {} : { unknownType: missing }),
    ...(location === undefined ? {} : { line: location.line, column: location.column }),
    cause: first.originalError ?? first,
  });
}

/**
 * The field a "Cannot query field" error names when it is another plugin's data: a root field, or
 * a child node field (`childMarkdownRemark`, `childrenMdx`, `childImageSharp` without the transformer).
 */
function missingChildField(error: GraphQLError): string | undefined {
  const found = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message);
  if (found === null) return undefined;
  const [, field, type] = found;
  return type === "Query" || /^child(ren)?[A-Z]/.test(field!) ? field : undefined;
}

/** graphql's message, with what to write instead where a Gatsby 4 form or an unknown fragment is the trouble. */
function withHint(message: string): string {
  const metadata = /^Cannot query field "(\w+)" on type "SiteSiteMetadata\w*"/.exec(message);
  if (metadata !== null) {
    return `${message} siteMetadata's fields are inferred from the siteMetadata of gatsby-config: give ${metadata[1]} a value there (null, [] and {} make no field).`;
  }
  if (/^Cannot query field "(fixed|fluid|resize)" on type "ImageSharp"/.test(message)) {
    return `${message} gatsby-image's fixed, fluid and resize are not provided: use gatsbyImageData with gatsby-plugin-image's GatsbyImage.`;
  }
  if (/^Field "(fields|order)" is not defined by type "\w+SortInput"/.test(message)) {
    return `${message} Gatsby 5 sorts with sort: { frontmatter: { date: DESC } } (or a list of such objects), not { fields, order }.`;
  }
  const selector = /^Expected value of type "\w+FieldSelector!", found (\w+)/.exec(message);
  if (selector !== null) {
    const path = selector[1]!.split("___");
    const suggestion = path.reduceRight((inner, key) => `{ ${key}: ${inner} }`, "SELECT");
    return `${message} Gatsby 5 selects fields with an object: field: ${suggestion}.`;
  }
  const fragment = /^Unknown fragment "(\w+)"/.exec(message);
  if (
    fragment !== null &&
    /^Gatsby(ImageSharp|Contentful|DatoCms|Sanity|Prismic)\w*(Fluid|Fixed|Resolutions|Sizes)/.test(fragment[1]!)
  ) {
    return `${message} gatsby-image's fragments are not provided: use gatsbyImageData with gatsby-plugin-image's GatsbyImage.`;
  }
  if (fragment !== null) {
    return `${message} Fragments are not shared between graphql templates here: define fragment ${fragment[1]} in the same template as the query that uses it.`;
  }
  return message;
}

function placeOf(place: Location | undefined): { line?: number; column?: number } {
  return place === undefined ? {} : getLocation(place.source, place.start);
}

function withPlace(message: string, place: Location | undefined): string {
  const { line, column } = placeOf(place);
  return line === undefined ? message : `GraphQL query, line ${line}, column ${column}: ${message}`;
}
