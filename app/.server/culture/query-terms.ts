// The words of a manager's message as the full-text branch of retrieval uses them: the message's
// own words, plus the words a policy would use for the same thing (a thesaurus of workplace
// English: "trade shifts" → swap, "passed away" → bereavement, "rota" → schedule). Managers tell
// stories in their own words; packs are written in HR's. Synonyms count as the words themselves
// (SYNONYM_WEIGHT, bench retrieval-quality). Stemming is Postgres's (to_tsvector with
// the pack's text search configuration), so the thesaurus lists words, not stems.

/** Text search configuration of the packs' tsvectors (migration 010 indexes them as English). */
export const TEXT_SEARCH_CONFIG = 'english';

/**
 * How much a synonym counts against the word the manager actually used. Measured on the dev
 * narratives (hit@3): 0.3 → 0.79, 0.5 → 0.80, 0.7 → 0.92, 1 → 0.93 (ADR 012): a thesaurus word is
 * the policy's word for what the manager said, so it counts fully.
 */
export const SYNONYM_WEIGHT = 1;

/**
 * Manager phrasing → policy vocabulary. Each entry is a pattern over the lower-cased message and
 * the words it adds. Classes of meaning, not sentences: each line covers a way people talk about
 * a topic every frontline policy pack has (swaps, lateness, absence, leave, conduct, safety …).
 */
const THESAURUS: Array<[RegExp, string]> = [
  // Schedules and swaps
  [/\b(trade[sd]?|trading|switch(?:ed|es|ing)?|swop\w*|give (?:away|up) (?:a |her |his |their )?shift|take (?:her|his|their|my) shift|cover (?:for|her|his|their|a|my) shift)\b/, 'swap shift'],
  [/\b(rota|rotas|roster\w*|schedul\w*)\b/, 'rota schedule'],
  [/\b(extra hours|more hours|over (?:his|her|their) hours|over 40)\b/, 'overtime'],
  [/\b(pattern|permanent(?:ly)?|nights to days|days to nights|four-day|4-day|part-time)\b/, 'pattern change'],
  // Lateness and absence
  [/\b(late|tardy|tardiness|rolled in|clock(?:ed|s)? in|logging in|logged in|after (?:his|her|their) start)\b/, 'lateness late punctuality'],
  [/\b(no[- ]show\w*|didn'?t (?:show|turn up|come in)|never (?:called|showed|turned up)|not turn(?:ed)? up|awol|couldn'?t get hold)\b/, 'absence unauthorised no-call'],
  [/\b(call(?:s|ed|ing)? (?:out|in sick)|rang in sick|off sick|sick days?|sickness|unwell|ill)\b/, 'sick absence sickness'],
  // Illness in everyday words (packs write sick, sickness, illness): not a flu jab or a pool's water temperature.
  [/\b(flu(?! (?:jabs?|shots?|vaccin\w*))|fever|(?:has|had|got|running|with) a (?:high |bad )?temperature|migraines?|(?:stomach|tummy|sickness) bug|vomiting|throwing up|chest infection|covid|tonsillitis|food poisoning)\b/, 'sick sickness illness'],
  // A call-out sent by text (packs say how an absence is reported, and that a text is not a call-out).
  [/\btext(?:ed|ing|s)?\b[^.?!]{0,40}\b(?:sick|ill|won'?t (?:make it|be in|come in)|not coming in|can'?t (?:make it|come in)|instead of call\w*)/, 'call-out absence reporting'],
  [/\b(back (?:after|from)|coming back|returns? to work|return-to-work)\b/, 'return-to-work'],
  [/\b(doctor'?s? note|sick note|cert|certificate|fit note)\b/, 'certificate certification'],
  // Leave
  [/\b(passed away|died|death|funeral|lost (?:her|his|their) (?:\w+ )?(?:mother|father|mum|mom|dad|brother|sister|grandmother|grandma|grandfather|husband|wife|partner|son|daughter|child)|grandma|grandmother|grieving|bereave\w*)\b/, 'bereavement compassionate'],
  [/\b(surgery|operation|hospital\w*|medical|treatment)\b/, 'medical leave'],
  // Kinship: people name the relative ("her nan", "his stepdad"); policies list the relationship ("grandparent",
  // "parent", "sibling") in their bereavement and family-leave rules.
  [/\b(grandmother|grandma|grandfather|grandpa|granny|gran|nan|nana|nanna|grandad|granddad|grandparents)\b/, 'grandparent'],
  [/\b(grandson|granddaughter|grandkids?|grandchildren)\b/, 'grandchild'],
  [/\b(mother|mum|mom|mam|father|dad|stepmum|stepmom|stepdad|stepfather|stepmother)\b/, 'parent'],
  [/\b(brother|sister|stepbrother|stepsister|half-brother|half-sister)\b/, 'sibling'],
  [/\b(husband|wife|fianc[eé]e?|boyfriend|girlfriend)\b/, 'spouse partner'],
  // Not "parental": its stem is "parent", the kinship word of bereavement lists, which then answered a pregnancy.
  [/\b(baby|pregnan\w*|maternity|paternity|new parents?|due in|adoption)\b/, 'family leave pregnancy maternity paternity'],
  [/\b(holiday|holidays|vacation|pto|annual leave|days? off|time off|week off|weeks off|fortnight)\b/, 'leave holiday'],
  [/\b(childminder|childcare|sitter|babysitter|nanny|cr[eè]che|nursery|daycare|day care|school run|dependants?|kid'?s)\b/, 'dependants carer'],
  // Domestic abuse as managers tell it: an ex or partner who turns up, threatens or follows; court and protection orders.
  [/\b(abusive relationship|domestic|(?:her|his|their) (?:ex|ex-partner|ex-boyfriend|ex-girlfriend|ex-husband|ex-wife)|ex-partner|stalk\w*|restraining order|protection order|barring order|safety order|court dates?|refuge|coercive)\b/, 'domestic violence'],
  // Conduct, harassment, bullying
  [/\b(comments? (?:about|on) (?:her|his|their) (?:body|looks|appearance)|how (?:she|he|they) looks?|touch\w*|hitting on|creepy|flirt\w*|sexual|darling|messages about)\b/, 'harassment sexual'],
  [/\b(mock\w*|freez\w* (?:her|him|them) out|picking on|pick on|name[- ]calling|calling (?:her|him|them) names|jokes? about|banter|cold shoulder|excluded?)\b/, 'bullying harassment dignity'],
  [/\b(payback|retaliat\w*|punish\w*|victimis\w*|victimiz\w*|since (?:she|he|they) (?:raised|reported|complained)|after (?:she|he|they) (?:raised|reported|complained|made a complaint))\b/, 'retaliation victimisation'],
  [/\b(religio\w*|accent|race|racist|gay|disabilit\w*)\b/, 'discrimination harassment'],
  // Remarks about where someone comes from: managers quote them ("calling them lazy foreigners"); policies name race and
  // background as protected characteristics.
  [/\b(foreigners?|immigrants?|migrants?|go back (?:to|home)|where (?:she|he|they) (?:comes?|are) from|(?:her|his|their) (?:nationality|background|skin|colou?r)|nationality|ethnic\w*|racial\w*|slurs?)\b/, 'discrimination harassment race background'],
  // Alcohol and drugs as managers say it: slang, and the smell or state they notice; policies write "impaired by alcohol".
  [/\b(drunk|drinking (?:on|before|at) (?:shift|work|the job)|hung ?over|booze\w*|boozy|tipsy|hammered|wasted|under the influence|intoxicated|high|stoned|weed|cannabis|spliff|joint|slurr\w*|smell(?:s|ed|ing|t)? (?:of|like) (?:booze|drink|alcohol|beer|wine|vodka|weed|cannabis|spirits)|impaired)\b/, 'alcohol drugs impaired'],
  [/\b(phone|scrolling|texting)\b/, 'phone mobile'],
  // Clocking for someone else as managers see it: a mate's card tapped or swiped, "buddy punching".
  [/\b(clock(?:ed|ing|s)? (?:in|out) for (?:him|her|them|someone|somebody|(?:a|his|her|their) (?:mate|friend|colleague|coworker|buddy))|(?:tap(?:ped|ping|s)?|swip(?:e|ed|es|ing)|scan(?:ned|ning|s)?) (?:in )?(?:his|her|their|a) (?:mate|friend|colleague|coworker|buddy)'?s (?:card|badge|fob)|buddy punch\w*)\b/, 'clock honesty time recording'],
  [/\b(tiktok|instagram|facebook|twitter|posted (?:a |it )?(?:video|clip|online)|online)\b/, 'social media'],
  [/\b(voucher|present|bottle|whisky|wine|tickets?)\b/, 'gift hospitality'],
  [/\b(card number|bank details|personal details|customer'?s? (?:data|details))\b/, 'data protection breach card'],
  [/\b(discount)\b/, 'discount transaction'],
  [/\b(recording of|call recording|copy of the recording)\b/, 'call recordings'],
  // Customers and difficult calls
  [/\b(shout\w*|yell\w*|scream\w*|cuss\w*|swear\w*|curs\w*|abus\w*|threaten\w*|nasty|rude)\b/, 'abusive aggressive'],
  [/\b(steal\w*|stole|stuff\w* (?:\w+ )?(?:in|into) (?:his|her|their)|shoplift\w*|pocket\w*)\b/, 'shoplifting theft'],
  [/\b(guest|shopper|caller|customer)s?\b/, 'customer guest'],
  [/\b(ban|banned|barred|kick(?:ed)? out|ask(?:ed)? to leave)\b/, 'leave store'],
  [/\b(hang up|hung up|end(?:ed)? the call|cut (?:him|her|them) off)\b/, 'end call'],
  [/\b(hurt (?:himself|herself|themselves)|harm(?:ing)? (?:himself|herself|themselves)|end it all)\b/, 'self-harm crisis'],
  // Feedback, performance, recognition
  [/\b(bring it up|raise it|have a word|talk to (?:him|her|them) about|say something|pull(?:ed)? (?:me|him|her|them) up|coach (?:her|him|them))\b/, 'feedback conversation'],
  [/\b(slipping|underperform\w*|not meeting|below target|dropped|pick rate|handling time|sloppy|missed deadlines)\b/, 'performance capability improvement'],
  [/\b(write[- ]up|written up|final warning|written warning|disciplinary)\b/, 'warning disciplinary formal'],
  [/\b(pip|improvement plan)\b/, 'performance improvement plan'],
  [/\b(fir(?:e|ed|es|ing)(?! (?:alarm|drill|exit|door|inspection|safety|extinguisher|marshal|warden|escape|risk))|sack(?:ed|ing)?|let (?:him|her|them|someone|somebody) go|get rid of (?:him|her|them)|terminat\w*|dismiss\w*)\b/, 'separation dismissal'],
  [/\b(review|reviews|appraisal\w*|year-end)\b/, 'performance review'],
  [/\b(thank\w*|shout-out|shout out|celebrat\w*|reward\w*|nominat\w*|put (?:\w+ )?forward|well done|mark it|award)\b/, 'recognition award'],
  [/\b(years? (?:with us|service)|twenty-five years|anniversary)\b/, 'long service'],
  [/\b(listen(?:ed)? (?:in|to) (?:\w+ )?calls?|sit beside|side-by-side)\b/, 'call listening side-by-side'],
  [/\b(catch-ups?|one-to-ones?|1:1s?)\b/, 'catch-up one-to-one'],
  // Wellbeing, breaks, fatigue
  // ...in everyday words for being worn down by the work: "knackered", "running on empty", "could sleep for a year", "keeps piling it on".
  [/\b(burn(?:ed|t)[- ]?out|burnout|exhausted|running on (?:fumes|empty)|shattered|knackered|drained|worn out|wiped out|run ragged|dead on my feet|could sleep for (?:a|an) \w+|piling (?:it |work |more )?on|stressed|overwhelm\w*|can'?t sleep|not sleeping|replaying|dreading|down for weeks|rough at home|struggling)\b/, 'wellbeing stress support assistance'],
  // Someone upset at work as a manager sees it; packs write about distressing calls or shifts, wellbeing and support.
  // (the person upset is someone at work or the writer: "a little boy was found crying" is a lost child, not wellbeing).
  [/\b(?:i|i'm|im|she|he|they|agents?|associates?|colleagues?|cashiers?|drivers?|pickers?|staff|team members?|starters?)\b[^.?!]{0,40}\b(?:cry\w*|cried|in tears|tearful|sobb\w*|breaking down|broke down|falling apart|shaken up|shaky)\b/, 'distressing wellbeing'],
  [/\b(lunch|skipp?ed (?:their |her |his )?(?:break|lunch)|off the floor|stepped off|no breaks?|without (?:a )?breaks?)\b/, 'break meal rest'],
  // Expressing milk as a nursing parent says it (packs write lactation, express milk).
  [/\b(pump(?:ing)?(?: milk)?|breast ?(?:feed\w*|pump\w*)|express(?:ing)? milk)\b/, 'lactation express milk'],
  [/\b(tired|nodd\w* off|fatigue\w*|falling asleep|fell asleep|nearly asleep|doz(?:ed|ing) off|drowsy)\b/, 'fatigue rest'],
  [/\b(headaches?|sore eyes|screen)\b/, 'screen break'],
  [/\b(lost (?:her|his|their) voice|voice)\b/, 'voice care'],
  [/\b(heat ?wave|too hot|unbearable|faint\w*|sweltering|scorching|boiling hot|like an oven|(?:3\d|4\d) degrees)\b/, 'heat hot weather'],
  [/\b(chiller|freezer|cold store|shiver\w*)\b/, 'cold-store'],
  // Pay: the words a manager uses for it; packs write "pay" (sick pay, pay in full)
  [/\b(wages?|salar(?:y|ies)|pay ?checks?|pay ?cheques?|payslips?|earnings)\b/, 'pay'],
  // Working arrangements
  [/\b(work(?:ing)? from home|wfh|remote\w*|home (?:broadband|set-?up)|at home)\b/, 'hybrid home remote'],
  // Warehouse and driving
  [/\b(reach truck|counterbalance|forklift|flt|pallet truck)\b/, 'forklift truck licence authorisation'],
  [/\b(clipped|collision|crash\w*|hit|near miss|knocked|pull(?:ed)? away)\b/, 'incident report'],
  [/\b(on foot|walking|pedestrians?|visitor)\b/, 'pedestrian'],
  [/\b(driving time|behind the wheel|tacho\w*|hours off|between shifts|push on)\b/, 'driver hours rest tachograph'],
  [/\b(handover)\b/, 'handover shift'],
  // Clothing and appearance in everyday words: packs write "dress", "uniform", "appearance", "clothing", "jewellery".
  // Not footwear: packs write safety shoes and who pays for them, a safety topic ("work boots" found the dress code).
  [/\b(hoodies?|sweatshirts?|jumpers?|sweaters?|t-?shirts?|work shirts?|jeans|leggings|joggers|sweatpants|shorts|skirts?|jackets?|coats?|fleeces?|outfits?|clothes|hats?|caps|beanies?)\b/, 'clothing dress uniform appearance'],
  [/\b(nose rings?|nose studs?|lip rings?|piercings?|pierced|earrings?|necklaces?|bracelets?|jewelry)\b/, 'jewellery appearance'],
  [/\b(tattoos?|tats|dyed (?:her|his|their) hair|hair dye|(?:pink|blue|green|purple) hair|beards?)\b/, 'appearance tattoos hair'],
];

/** Each entry with its global twin, built once (synonymsByWord reads every occurrence). */
const THESAURUS_GLOBAL: Array<[RegExp, string, RegExp]> = THESAURUS.map(([pattern, words]) => [pattern, words, new RegExp(pattern.source, 'g')]);

/** The distinct words of a message, lower-cased, apostrophes dropped (for to_tsvector). */
export function questionWords(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
  return [...new Set(words.map((w) => w.replace(/['’]/g, '')))].slice(0, 64).join(' ');
}

/** Contractions typed without the apostrophe ("shes", "dont"): function words, not unknown topics. */
const BARE_CONTRACTIONS = new Set('shes hes whats thats theres heres whos wheres im ive youre youve weve theyre theyve theyll youll dont doesnt didnt cant wont isnt wasnt arent werent hasnt havent hadnt couldnt wouldnt shouldnt mustnt neednt aint'.split(' '));
const NEGATED: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall', ai: '' };

/**
 * The words the full-text search is given: the message's words (questionWords) with contractions read as their word
 * ("she'll" was searched as "shell", "he'll" as "hell", "she's" as "shes": words the pack never writes, counted as
 * topics it lacks). E-mail addresses and links are left out by contactDetailsOut before this.
 */
export function searchWords(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
  const out = new Set<string>();
  for (const raw of words) {
    let word = raw;
    const clitic = raw.match(/^(.+?)(n['’]t|['’](?:s|ll|d|re|ve|m))$/);
    if (clitic) word = clitic[2].startsWith('n') ? (NEGATED[clitic[1]] ?? clitic[1]) : clitic[1];
    word = word.replace(/['’]/g, '');
    if (!word || BARE_CONTRACTIONS.has(word)) continue;
    out.add(word);
  }
  return [...out].slice(0, 64).join(' ');
}

/** A message without its e-mail addresses and links: contact details, never what is asked about. */
export function contactDetailsOut(text: string): string {
  return text.replace(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, ' ').replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' ');
}

/**
 * The text retrieval reads (embedding, search words, thesaurus, nouns, asking sentences): the message without its
 * e-mail addresses and links, white space folded. One function for the live search and the retrieval bench's
 * latency statement, so the bench times the statement the live path sends.
 */
export function searchableText(text: string): string {
  return contactDetailsOut(text).replace(/\s+/g, ' ').trim();
}

/** Policy words for what the message says in its own words (not repeating its own words). */
export function synonymWords(text: string): string {
  const lower = text.toLowerCase().replace(/’/g, "'");
  const own = new Set(questionWords(text).split(' '));
  const added = new Set<string>();
  for (const [pattern, words] of THESAURUS) {
    if (!pattern.test(lower)) continue;
    for (const word of words.split(' ')) if (!own.has(word)) added.add(word);
  }
  return [...added].slice(0, 48).join(' ');
}

/**
 * Which of the message's own words each thesaurus entry was found through, and the policy words it
 * adds for them ("funeral" → bereavement, compassionate): answerability counts a word the pack never
 * uses as covered when a passage holds its policy word.
 */
export function synonymsByWord(text: string): Map<string, string[]> {
  const lower = text.toLowerCase().replace(/’/g, "'");
  const byWord = new Map<string, string[]>();
  for (const [pattern, words, global] of THESAURUS_GLOBAL) {
    // Most entries do not occur in a message: one test, not a fresh global RegExp and a matchAll (ADR 054).
    if (!pattern.test(lower)) continue;
    global.lastIndex = 0;
    for (const match of lower.matchAll(global)) {
      for (const word of questionWords(match[0]).split(' ')) {
        if (word) byWord.set(word, [...(byWord.get(word) ?? []), ...words.split(' ')]);
      }
    }
  }
  return byWord;
}

/**
 * The words of what a message asks: its asking sentences (ending in "?"; the whole message when none
 * does) and any question the story reports ("she asked if she can keep it", "wants to know whether
 * …"), as questionWords spells them. A narrative's story sets the scene; its question names what
 * the manager wants the policy for — and a question that points back ("Is that allowed?", "Do we?")
 * is often told just before it as a reported one ("asked if Brightmart gives any wedding leave").
 */
export function askingWords(text: string): Set<string> {
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s.trim());
  const asking = sentences.filter((s) => /\?\s*["”’)]*\s*$/.test(s));
  const reported = asking.length > 0 ? [...text.matchAll(REPORTED_QUESTION)].map((m) => m[1]) : [];
  // A question that points back ("How should I raise it?", "Is that allowed?") asks about what the
  // sentence before it told: that sentence is part of what is asked (ADR 046).
  // When that sentence itself continues the one before ("His email is …", "She also …"), the walk goes
  // back to the sentence that names what is told (at most three sentences); a sentence that only gives
  // contact details is not what is asked about.
  const antecedents: string[] = [];
  sentences.forEach((s, i) => {
    const next = sentences[i + 1];
    if (!(i + 1 < sentences.length && asking.includes(next) && !asking.includes(s) && (POINTS_BACK.test(next) || (ELLIPTICAL.test(next) && reported.length === 0)))) return;
    let at = i;
    if (!givesContact(s)) antecedents.push(s);
    while (at > 0 && i - at < 2 && CONTINUES.test(sentences[at]) && !asking.includes(sentences[at - 1])) {
      at -= 1;
      if (!givesContact(sentences[at])) antecedents.push(sentences[at]);
    }
  });
  return new Set(questionWords([...(asking.length > 0 ? asking : sentences), ...antecedents, ...reported].join(' ')).split(' ').filter(Boolean));
}

/**
 * A sentence that gives someone's email or phone number: a question never points back at contact details. A phone
 * number is a run of at least 7 digits (with spaces, dots, brackets or dashes between them); a run that is only years
 * or a date ("the 2024 - 2025 rota", "since 12-03-2025") is not one.
 */
export function givesContact(sentence: string): boolean {
  if (/@|\[(?:EMAIL|PHONE)_\d+\]/.test(sentence)) return true;
  for (const m of sentence.matchAll(/\+?\(?\d[\d ().-]{5,}\d/g)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 7) continue;
    const groups = m[0].split(/[^\d]+/).filter(Boolean);
    if (groups.every((g) => /^(?:19|20)\d\d$/.test(g))) continue;
    if (/^\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})$/.test(m[0].trim())) continue;
    return true;
  }
  return false;
}

/** A sentence that opens by continuing the one before it (a pronoun or a joining word). */
const CONTINUES = /^\s*["“(]?(?:he|she|they|his|her|their|its|it|this|that|these|those|also|and|but|plus)\b/i;

/**
 * A question left elliptical, naming nothing of its own: "Is she allowed to?", "Can we?", "Should I?" — it asks
 * about what the sentence before it told, like a pointing-back pronoun does — unless the story reports the question
 * ("asked if we give wedding leave … Do we?"), which is then what it stands for.
 */
const ELLIPTICAL = /^\s*(?:can|could|should|would|will|may|might|must|do|does|did|is|are|am|was|were|have|has)(?:n[’']?t)?\s+(?:\S+\s+){0,2}?(?:to|i|we|you|he|she|they|not|it)\s*\?\s*["”’)]*\s*$/i;

/**
 * A pronoun that stands for something told before: it, this, that, these, those, them — and "there" for a place
 * told before ("while he's there", "park there"), not the "there" of "is there …", "there are …".
 */
const POINTS_BACK = /\b(?:it|this|that|these|those|them)\b|(?<!\b(?:is|are|was|were|be|been|isn['’]?t|aren['’]?t|wasn['’]?t|weren['’]?t)\s+)\bthere\b(?!\s+(?:is|are|was|were|be|been|isn|aren|wasn|weren|any|a|an|some|anything|anyone|no)\b)/i;

/** A question reported inside the story: "asked (me) if / whether / about …", "wants to know how …". */
const REPORTED_QUESTION =
  /\b(?:ask(?:s|ed|ing)?|wants? to know|wanted to know|would like to know|wonder(?:s|ed|ing)?|checking)(?:\s+(?:me|us|you|him|her|them|hr|around))?\s+(?:if|whether|about|what|how|when|who|where|why|for)\b([^.?!]*)/gi;

/** What answerability needs of a message beyond its terms: the words it asks with, and the thesaurus's policy words for its own. */
export function askContextOf(text: string): { ask: Set<string>; synonyms: Map<string, string[]> } {
  return { ask: askingWords(text), synonyms: synonymsByWord(text) };
}
