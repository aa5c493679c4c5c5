// Docs topic — Response shaping (issue 14): projection, size budgets, pagination notes and the
// build log's definition sizes. docs/runner.md "Response shaping" is the full rule set.
import { Code } from '../../ui';

export function ResponseShaping() {
  return (
    <>
      <p>
        An API can answer with far more than a model can read: MCP clients cap a tool&apos;s output
        (often at 25,000 tokens), and a cut in the wrong place leaves broken JSON. Each tool can say
        what it returns in its <code>response</code> field; without one, the default budget still
        applies.
      </p>
      <Code label="A tool's response settings">
        {JSON.stringify(
          {
            response: {
              projection: {
                select: 'items',
                fields: { id: 'id', repo: 'full_name', owner: 'owner.login' },
              },
              maxTokens: 8000,
              pagination: {
                style: 'cursor',
                param: 'cursor',
                next: 'meta.next_cursor',
                sizeParam: 'per_page',
                items: 'items',
                total: 'total_count',
              },
            },
          },
          null,
          2,
        )}
      </Code>
      <h3>Projection</h3>
      <p>
        <code>select</code> keeps one part of the response; <code>fields</code> maps each output
        name to a path, applied to every element of an array. Paths are a small subset of JMESPath:{' '}
        <code>owner.login</code>, <code>items[0]</code>, <code>items[-1]</code>,{' '}
        <code>labels[*].name</code>, <code>[&quot;content-type&quot;]</code>. A path that finds
        nothing is simply left out.
      </p>
      <h3>Size budget</h3>
      <p>
        <code>maxTokens</code> (default 20,000, estimated at about 4 characters a token). An answer
        over budget is cut at whole array items, then long strings at a line, then whole object
        members — the JSON stays valid — and a note tells the model what was left out, e.g.{' '}
        <em>showing 212 of 14,035 items of `items`</em>, and how to get the rest. It is never an
        error. Secrets are redacted before the cut.
      </p>
      <h3>Pagination</h3>
      <p>
        Declare how the API pages (<code>cursor</code>, <code>page</code> or <code>offset</code>,
        the argument that carries it, and where the next cursor, total or has-more flag is in the
        response) and every result names the exact arguments of the next call:{' '}
        <em>Next page: call list_repos with {'{"cursor":"c50","per_page":10}'}.</em> The OpenAPI
        import proposes this when an operation has an obvious cursor, page or offset parameter and a
        response field to go with it; the review step shows it for you to edit.
      </p>
      <h3>Structured content</h3>
      <p>
        With an <code>outputSchema</code>, write it for the projected shape. After a cut, the
        structured content is the cut value when it still matches the schema, and is left out with a
        note when it does not (for example a <code>minItems</code> the cut went under).
      </p>
      <h3>Definition sizes</h3>
      <p>
        The build log lists each tool&apos;s definition size in tokens, each toolset&apos;s and the
        server&apos;s total, and warns past 20,000 tokens for an endpoint that lists every tool:
        that is context a client spends before the first call. Split tools into toolsets or use
        search mode.
      </p>
    </>
  );
}
