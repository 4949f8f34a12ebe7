// Words the built-in embedder ignores: English function words, plus the few Latin abbreviations
// and connectives that pad scientific abstracts. Content words common in papers ("model",
// "method", "result") are kept: inverse document frequency weighs them down instead.
const WORDS = `a about above after again against all almost also although am among an and another any
are aren around as at be became because been before being below between both but by can cannot
could did didn do does doesn doing don done down due during each either else et etc eg ever every
few for from further had hadn has hasn have haven having he her here hers herself him himself his
how however i ie if in into is isn it its itself just latter less many may me might more most mostly
much must my myself neither no nor not now of off often on once one only onto or other others otherwise
our ours ourselves out over own per rather same several shall she should shouldn since so some
such than that the their theirs them themselves then there thereby therefore these they this those
though through thus to too toward towards under until up upon us very via vs was wasn we were weren
what whatever when where whereas whether which while who whom whose why will with within without
would wouldn yet you your yours yourself yourselves al viz`;

/** The stop words, lower-case and unstemmed. */
export const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));
