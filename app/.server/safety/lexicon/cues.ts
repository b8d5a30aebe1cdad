// The cue classes of the multilingual safety lexicon. A cue is a small piece of meaning
// ("a request frame", "a means", "a time marker"); verdicts come from how cues combine in a
// sentence and from the statistical model that reads them with the word and character n-grams.
export const CUES = [
  /** Explicit suicide / self-killing words: "suicide", "kill myself", "quitarme la vida". */
  'suicide',
  /** Dying, death, not waking up, not existing. */
  'die',
  /** Wanting or wishing: "i want", "i wish", "quiero", "ich will". */
  'want',
  /** Decision, plan or future intent: "going to", "decided", "made up my mind", "voy a". */
  'intent',
  /** Finality without trigger words: "end it all", "said my goodbyes", "better off without me". */
  'final',
  /** Means and methods: pills, rope, bridge, tracks, blade, overdose. */
  'means',
  /** Having the means ready: "got everything i need", "lined up", "bought". */
  'have',
  /** Time markers: tonight, this weekend, after my shift, tomorrow. */
  'time',
  /** Request frames: "how do i", "where can i", "best way to", "how many". */
  'request',
  /** Verbs of harming a person, animal or place: kill, strangle, poison, take out, burn. */
  'harm',
  /** Someone or something to be harmed: a person, a relative, a child, an animal. */
  'person',
  /** A place: a school, the office, a building. */
  'place',
  /** First person: i, me, myself, yo, ich, je. */
  'self',
  /** Ongoing self-harm and eating disorders: cutting, SH, relapse, purging, hiding marks. */
  'sh',
  /** Distress: hopeless, burnt out, panic attacks, cannot go on. */
  'distress',
  /** Negation: not, never, no, nunca, nicht, jamais. */
  'neg',
  /** Distant past: years ago, used to, when i was a teen, in recovery. */
  'past',
  /** Someone else at risk or reporting: my colleague, she said, he texted me. */
  'third',
  /** Talking about the topic: novel, news, training, prevention, statistics, history. */
  'about',
  /** Workplace idioms that use violent words: killing it, death of me, kill the process. */
  'idiom',
  /** Harassment, bullying and abuse at work. */
  'harass',
  /** A medical emergency: collapsed, not breathing, unconscious, seizure, chest pain. */
  'medical',
  /** Support seeking on someone else's behalf: "how do i support", "what should i say to". */
  'support',
  /** A threat or plan to harm a specific person: "im going to", with harm verbs. */
  'threat',
  /** Injection and jailbreak phrases in other languages ("ignora las instrucciones"). */
  'inject',
  /**
   * A farewell that is ordinary on its own ("said my goodbyes", "cleared my locker", "won't be
   * around", "they'll understand"): evidence only together with a time, plan, means or finality.
   */
  'farewell',
  /**
   * Arrangements for after ("who gets my things", "the passwords are written down", "life insurance
   * pays out", "no loose ends"): evidence only together with a time, plan, means, finality or farewell.
   */
  'affairs',
  /**
   * How high, deep, fast or much, and what makes a place or method certain ("how far down", "deep
   * enough", "no fences", "doesn't stop", "would I wake up"): evidence only with a request or the
   * first person and a means, place or death word.
   */
  'extent',
  /**
   * Having swallowed or taken something, in the past tense ("me he tomado", "j'ai avalé", "genommen",
   * "połknęłam"): with a means and an amount, an overdose already taken.
   */
  'ingest',
  /** An amount that makes a dose an overdose: thirty, all of them, the whole box, a handful. */
  'amount',
] as const;
export type Cue = (typeof CUES)[number];

/** Languages of the lexicon; hi-Latn / ar-Latn entries live with hi / ar. */
export const LEXICON_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it', 'pl', 'nl', 'ro', 'uk', 'tl', 'vi', 'ar', 'zh', 'hi'] as const;
export type LexiconLanguage = (typeof LEXICON_LANGUAGES)[number];

/**
 * One language's entries per cue, `|`-separated. Entry syntax: words separated by spaces,
 * `word*` matches any word starting with `word`, `_` matches any one word. An entry with CJK
 * characters is matched as a substring. Entries are folded like the message (lowercase,
 * no accents, no apostrophes), so write them naturally.
 */
export type LanguageLexicon = Partial<Record<Cue, string>>;
