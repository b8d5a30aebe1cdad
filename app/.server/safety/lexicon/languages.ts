// Which lexicon languages a message can be in, so a Latin-script cue entry matches only in the
// language(s) it belongs to. Folding strips accents, so short words collide across languages:
// Vietnamese "tớ"/"em" (first person) read as English "to"/"em", the Dutch and German article "die"
// reads as the English death word, Spanish "te" or Dutch "ga" as nothing in particular. Each
// language votes with its commonest function words (and the letters only it keeps after folding:
// Polish ł, Vietnamese đ); a message whose words clearly vote reads the cue entries of the languages
// it is in, and one too short to tell reads all of them. Non-Latin scripts scope themselves (an
// Arabic, Cyrillic, Devanagari or Han entry can only match text in that script), so they are not
// filtered here.
import { LEXICON_LANGUAGES, type LexiconLanguage } from './cues';

/** Common function words per language, written naturally; folded like the message before use. */
const FUNCTION_WORDS: Record<LexiconLanguage, string> = {
  en: 'the a an and or but of in on at for with from by is are was were be been am im i me my you your he she his her it its we our they them their this that these those not no do does did dont didnt cant wont have has had will would can could should just so if when what how where why who there here all any some about up out over then than too very to',
  es: 'el la los las un una unos unas y o pero de del en con por para es son era fue ser estar estoy esta estas esto este yo me mi mis tu te se le lo nos no si que como cuando donde porque muy mas ya hoy manana pues hay tengo tiene voy vas va al',
  fr: 'le la les un une des et ou mais de du au aux en avec pour par sur est sont etait suis je j me moi mon ma mes tu te ton ta il elle on nous vous ils elles ce cette ces ne pas plus que qui quand comment pourquoi tres deja aujourdhui demain cest jai',
  de: 'der die das den dem des ein eine einen einem einer und oder aber von zu mit fur auf im am ist sind war bin ich mich mir mein meine du dich dein er sie es wir ihr nicht kein keine was wie wann wo warum sehr schon heute morgen noch auch wenn weil habe hab hat isch hüt nümm nümme nöd nid scho gsi bisch hesch chunt cha wott nimmer nimma hob znacht',
  pt: 'o a os as um uma uns umas e ou mas de do da dos das em no na nos nas com por para e sao era foi sou estou eu me meu minha tu voce ele ela nao que como quando onde porque muito ja hoje amanha tenho tem vou vai ta to pra',
  it: 'il lo la i gli le un una uno e o ma di del della dei in nel nella con per su e sono era ero io mi me mio mia tu ti lui lei noi voi loro non che come quando dove perche molto gia oggi domani ho ha vado va sto',
  pl: 'i a ale lub albo w we z ze na do od po dla jest sa byl byla bylo jestem ja mnie mi moj moja moje ty ty ci on ona ono my wy oni nie tak co jak kiedy gdzie dlaczego bardzo juz dzis dzisiaj jutro mam ma sie to ten ta tego',
  nl: 'de het een en of maar van in op aan met voor bij naar tot is zijn was ben ik mij me mijn jij je jou hij zij ze wij we jullie niet geen wat hoe wanneer waar waarom heel al vandaag morgen nog ook als omdat heb heeft ga gaat die dat deze dit er',
  ro: 'si sau dar de din la cu pe pentru in este sunt era eu ma mie meu mea tu te el ea noi voi ei ele nu ce cum cand unde de ce foarte deja azi astazi maine am are merg un o niste',
  uk: '',
  tl: 'ang ng mga sa na ay at o pero kasi ako ko ikaw ka ikaw mo siya niya kami tayo kayo sila hindi wala may mayroon ito iyan iyon dito doon lang din rin po opo naman ba yung nang kung kapag para',
  vi: 'toi minh em anh chi tao to ban no ho la va cua cho khong duoc nay roi nha nhe oi voi den di ve hom thi co nhung vay gi sao lam nhieu cung da dang se nua lai o tai trong mot cac nhe a u',
  ar: 'ana enta enti inta inti howa heya ehna ihna mesh msh mish fi fe el w wa ya bas 3ala 3an eh leh keda kda ba3d lazem 3ayez mafi wallah shi kter hala2 lesh fih ma3',
  zh: '',
  hi: 'hai hain main mai mein nahi nahin kya ka ki ke ko se aur bhi toh ho tha thi hu hoon hun mujhe mera meri kuch yaar ab aaj kal kar raha rahi gaya gayi tum aap apna bahut',
};

/** One bit per lexicon language, in LEXICON_LANGUAGES order (the order of LEXICONS). */
export const LANGUAGE_BIT: Record<LexiconLanguage, number> = Object.fromEntries(LEXICON_LANGUAGES.map((l, i) => [l, 1 << i])) as Record<LexiconLanguage, number>;
export const ALL_LANGUAGES = (1 << LEXICON_LANGUAGES.length) - 1;

// Languages written with English alongside as a matter of course (Taglish, Hinglish): reading
// them also reads the English entries.
const WITH_ENGLISH = LANGUAGE_BIT.tl | LANGUAGE_BIT.hi;

/** Fewer function-word votes than this: too little to tell, every language's entries are read. */
const MIN_VOTES = 2;
/** A language is read when it has at least this share of the leading language's votes. */
const SHARE_OF_TOP = 0.34;

let voters: Map<string, number> | null = null;

/** Folded word → the languages it is a function word of (bitmask). */
export function functionWordVoters(fold: (text: string) => string): Map<string, number> {
  if (voters) return voters;
  const map = new Map<string, number>();
  LEXICON_LANGUAGES.forEach((lang, i) => {
    for (const raw of FUNCTION_WORDS[lang].split(/\s+/)) {
      if (!raw) continue;
      const word = fold(raw);
      if (!word) continue;
      map.set(word, (map.get(word) ?? 0) | (1 << i));
    }
  });
  voters = map;
  return map;
}

/** The languages a word votes for: its function-word languages, or a letter only one language keeps. */
export function wordLanguages(word: string, table: Map<string, number>): number {
  const listed = table.get(word);
  if (listed !== undefined) return listed;
  if (word.includes('ł')) return LANGUAGE_BIT.pl;
  if (word.includes('đ')) return LANGUAGE_BIT.vi;
  // Words in the other scripts vote for their language, so a Ukrainian message with a few
  // Latin-looking folded words ("не" folds to "he") is still read as Ukrainian.
  const code = word.charCodeAt(0);
  if (code >= 0x0400 && code <= 0x04ff) return LANGUAGE_BIT.uk;
  if (code >= 0x0600 && code <= 0x06ff) return LANGUAGE_BIT.ar;
  if (code >= 0x0900 && code <= 0x097f) return LANGUAGE_BIT.hi;
  if ((code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x9fff)) return LANGUAGE_BIT.zh;
  return 0;
}

/** From per-word votes (bitmasks), the languages whose Latin-script cue entries the message reads. */
export function languagesOf(votes: readonly number[]): number {
  return languageVote(votes).allowed;
}

/**
 * From per-word votes: the languages read (`allowed`, as languagesOf) and the leading ones (`leading`:
 * those with the most votes; 0 when the message is too short to tell).
 */
export function languageVote(votes: readonly number[]): { allowed: number; leading: number } {
  const counts = new Array<number>(LEXICON_LANGUAGES.length).fill(0);
  let voted = 0;
  for (const mask of votes) {
    if (mask === 0) continue;
    voted++;
    for (let i = 0; i < counts.length; i++) if (mask & (1 << i)) counts[i]++;
  }
  if (voted < MIN_VOTES) return { allowed: ALL_LANGUAGES, leading: 0 };
  let top = 0;
  for (const n of counts) if (n > top) top = n;
  if (top < MIN_VOTES) return { allowed: ALL_LANGUAGES, leading: 0 };
  let allowed = 0;
  let leading = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] >= Math.max(1, top * SHARE_OF_TOP)) allowed |= 1 << i;
    if (counts[i] === top) leading |= 1 << i;
  }
  if (allowed & WITH_ENGLISH) allowed |= LANGUAGE_BIT.en;
  return { allowed, leading };
}
