// Hostile search input for tests: deterministic pseudo-random strings built from the characters
// that FTS5, tsquery and SQL treat as syntax, plus the extremes (10 kB, thousands of quotes).
// Shared by the parser, compiler and search tests of both dialects.

/** Deterministic pseudo-random strings built from the characters engines treat as syntax. */
export function hostileStrings(count: number, seed: number): string[] {
  const pieces = [
    '"',
    "'",
    "*",
    "(",
    ")",
    ":",
    "^",
    "-",
    "+",
    "{",
    "}",
    "\\",
    "&",
    "|",
    "!",
    "<->",
    "<2>",
    " AND ",
    " OR ",
    " NOT ",
    "NEAR(",
    ",",
    " ",
    "\u0000",
    "\u200b",
    "\ud800",
    "😀",
    "é",
    "e\u0301",
    "author:",
    "cat:",
    "before:",
    "after:",
    "title:",
    "%",
    "_",
    ";",
    "--",
    "/*",
    "word",
    "Transformer",
    "x".repeat(70),
    "123",
    "深度",
    "١٢٣",
    "क्षि",
    "1\ufe0f\u20e3",
    "𝐀𝐁",
    "\u{e0041}",
    "한국어",
    "ｆｕｌｌ",
  ];
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + (next() % 30);
    let s = "";
    for (let k = 0; k < n; k++) s += pieces[next() % pieces.length];
    out.push(s);
  }
  out.push("a".repeat(10_000), '"'.repeat(5000), "-".repeat(3000), `${"(".repeat(2000)}x`);
  return out;
}
