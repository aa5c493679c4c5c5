// The ranker behind search_tools: Okapi BM25 (Robertson & Zaragoza, "The Probabilistic Relevance
// Framework: BM25 and Beyond", 2009, §3) over each tool's name, title, description and parameter
// names, with the name weighted highest. Written here rather than taken from a library: it is ~60
// lines, a server's index is built once per isolate, and nothing else would use the dependency.
import type { Tool } from '../../../../lib/spec/server-spec';

const K1 = 1.2;
const B = 0.75;
// Field weights (BM25F-style repetition): a query word in the tool's name matters most.
const NAME_WEIGHT = 3;
const PARAM_WEIGHT = 2;

/** Lowercase words: snake_case, kebab-case, camelCase and letter/digit boundaries split. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function parameterNames(tool: Tool): string[] {
  const props = (tool.inputSchema as { properties?: Record<string, unknown> }).properties;
  return props ? Object.keys(props) : [];
}

type Doc = { tool: Tool; tf: Map<string, number>; length: number };

export class SearchIndex {
  readonly #docs: Doc[];
  readonly #df = new Map<string, number>();
  readonly #avgLength: number;

  constructor(tools: readonly Tool[]) {
    this.#docs = tools.map((tool) => {
      const tf = new Map<string, number>();
      const add = (text: string, weight: number) => {
        for (const w of words(text)) tf.set(w, (tf.get(w) ?? 0) + weight);
      };
      add(tool.name, NAME_WEIGHT);
      add(tool.title ?? '', 1);
      add(tool.description ?? '', 1);
      add(parameterNames(tool).join(' '), PARAM_WEIGHT);
      let length = 0;
      for (const n of tf.values()) length += n;
      return { tool, tf, length };
    });
    for (const d of this.#docs)
      for (const w of d.tf.keys()) this.#df.set(w, (this.#df.get(w) ?? 0) + 1);
    this.#avgLength = this.#docs.reduce((s, d) => s + d.length, 0) / Math.max(1, this.#docs.length);
  }

  /** Tools matching the query, best first; `allowed` filters before the limit is applied. */
  search(query: string, limit: number, allowed: (tool: Tool) => boolean): Tool[] {
    const terms = [...new Set(words(query))];
    const n = this.#docs.length;
    const scored: { tool: Tool; score: number }[] = [];
    for (const d of this.#docs) {
      let score = 0;
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        const df = this.#df.get(t) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.length) / this.#avgLength));
      }
      if (score > 0 && allowed(d.tool)) scored.push({ tool: d.tool, score });
    }
    scored.sort((a, b) => b.score - a.score || a.tool.name.localeCompare(b.tool.name));
    return scored.slice(0, limit).map((s) => s.tool);
  }
}

const indexes = new WeakMap<readonly Tool[], SearchIndex>();

/** One index per published spec's tool list, kept as long as the spec is cached. */
export function searchIndexFor(tools: readonly Tool[]): SearchIndex {
  let index = indexes.get(tools);
  if (!index) {
    index = new SearchIndex(tools);
    indexes.set(tools, index);
  }
  return index;
}
