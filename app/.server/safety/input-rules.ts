// The lexicon the input classifier reads, as data. Each rule is one regex over the folded text
// (see normalize.ts: lowercase, no apostrophes, "im", "dont", "cant", single spaces), guarded by
// cheap substring checks (`needs`) so most rules never run on a message that cannot match.
// Rule ids are recorded in safety events; keep them stable.
import type { SafetyCategory, SafetyLevel } from '~/lib/safety';

export interface InputRule {
  id: string;
  level: SafetyLevel;
  category?: SafetyCategory;
  /** The rule runs only if the folded text contains one of these substrings. */
  needs: readonly string[];
  re: RegExp;
  /** A negation just before the match ("im not suicidal") demotes crisis to concern and drops a concern. */
  negatable?: boolean;
  /** Distant-past markers in the clause ("used to", "years ago") demote crisis to concern. */
  pastable?: boolean;
  /** Further categories the same hit implies (an overdose taken is also a medical emergency). */
  alsoCategories?: readonly SafetyCategory[];
  /** Tested against the 60 characters after the match; a hit means the match was an idiom. */
  notAfter?: RegExp;
  /** Tested against the 60 characters before the match. */
  notBefore?: RegExp;
  /** Tested against the whole sentence; a hit means the event is over ("fainted last week, how do i report it"). */
  overIf?: RegExp;
  /** Who is at risk: the subject of the clause (self-harm, medical), or whoever is not "me" (violence). */
  party?: 'subject' | 'victim';
  /**
   * An incident told as over (incidentOver): a report to write up, not a danger now. 'skip': the rule does not
   * fire (violence, a medical event); 'concern': a check-in (an overdose someone was brought round from).
   */
  reportOver?: 'skip' | 'concern';
}

// An incident told after the fact, with how it ended ("threatened my cashier and then left", "nobody hurt",
// "police came and took him", "she's fine now", "banned for 12 months"): the writer reports it, nobody is
// in danger now (ADR 024: signs without imminence are a check-in at most; a third party in danger now is a
// crisis). Read over the whole message (folded), in English. The same incident still going on ("he's back
// outside with a bat", "right now", "won't leave") is not over, whatever else the message says.
const INCIDENT_ENDED =
  /\b(?:(?:nobody|no one|noone|none of us|no staff|nobody else)(?: was| were| got)? (?:hurt|injured|harmed)|no (?:injuries|injury|one injured|casualties)|(?:and|then) (?:he |she |they )?(?:left|went)(?= ?[.,!;]|$| (?:the (?:shop|store|building|premises|site|bar|pub|club|hotel)|before|without|after|when|straight away))|legged it|did a runner|(?:ran|stormed) (?:off|out)|(?:police|cops|security|the door team|door staff|paramedics|ambulance)(?: \w+)? (?:came|arrived|turned up|attended|caught|took|removed|escorted|arrested|sorted|brought|confirmed|have (?:the|his|her|it))|(?:was|were|got|been|has been|have been|he was|she was) (?:escorted|thrown|kicked|removed|arrested|banned|barred|sectioned|sentenced|charged|cautioned)|(?:banned|barred) (?:from|for)|sentenced|(?:all|the) clear|(?:its|it is|its all|all) over now|(?<!(?:says|said|insists|claims|saying|swears) )(?:hes|shes|theyre|everyones|everyone is|were all|he is|she is|they are) (?:fine|ok|okay|alright|safe|recovering)\b(?! (?:now )?(?:but|except))|recovering|brought (?:him|her|them) round|(?:checked|looked) over|calmed down|came (?:back|in|round)(?: \w+){0,3} to apologi[sz]e|(?:has|have|he|she|they) apologi[sz]ed|incident (?:form|report|log)|(?:do|should) (?:i|we) (?:need to )?(?:report|log|write)|write (?:it )?up|riddor|statement from)\b/;
const INCIDENT_ONGOING =
  /\b(?:right now|now hes|now shes|still (?:here|there|outside|in (?:the|my|here)|at (?:the|my)|waiting|threatening|shouting|screaming|hitting|coming)|(?:is|hes|shes|theyre|are|has come|have come|just came|came|coming) back (?:outside|in the|in here|at the|and|with|tonight|tomorrow)|back outside|wont (?:leave|go away|let)|(?:outside|at) (?:the|my|our) (?:door|house|flat|window|car) (?:now|again)|help me|what do i do(?! if)|hurry|please come)\b/;
export function incidentOver(folded: string): boolean {
  return INCIDENT_ENDED.test(folded) && !INCIDENT_ONGOING.test(folded);
}

const SELF = '(?:my ?self|meself|myslef|mysef|myelf)';
const INTENT =
  '(?:want|wants|wanna|wanted|going|gonna|gon|plan|plans|planning|planned|decided|decides|deciding|ready|about|thinking|think|thinks|thought|tempted|need|needs|needing|urge|urges|try|tries|trying|will|ll|might|may|could|should|wish|wishes|hope|hopes|feel like|feels like|feeling like|time)';

const rx = (source: string) => new RegExp(source, 'g');

// A medical event told in the past is an incident to write up, not an emergency to call in.
const PAST_EVENT = /\b(?:last (?:week|month|year|night|shift|time|summer|winter|christmas)|yesterday|ago|earlier (?:this|today)|the other day|previously|incident report|report form|accident book|first aid (?:course|training|refresher)|what (?:should|do) (?:i|we) do if)\b/;

export const SELF_HARM_RULES: InputRule[] = [
  {
    id: 'self_harm.kill_self',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['kil', 'unaliv', 'hang', 'shoot', 'off', 'poison', 'drown', 'murder', 'end'],
    re: rx(`\\b(?:kill|killing|kil|unalive|unaliving|hang|hanging|shoot|shooting|off|offing|poison|drown|drowning|murder|end|ending) ?(?:${SELF}|him ?self|her ?self|them ?selves|them ?self)\\b`),
  },
  {
    // "killed myself laughing / to get that display done" is an idiom; "if i killed myself" is not.
    id: 'self_harm.killed_self',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['killed'],
    re: rx(`\\bkilled ?(?:${SELF}|him ?self|her ?self)\\b`),
    notAfter: /^ (?:laughing|trying|to |getting|working|for |over |on |doing|running|with )/,
  },
  {
    id: 'self_harm.unalive',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['unaliv', 'kms'],
    re: rx('\\b(?:unalive\\w*|kms)\\b'),
  },
  {
    // Hurt/cut/harm oneself: accidents at work ("cut myself on the box cutter") are not self-harm.
    id: 'self_harm.hurt_self',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['self', 'selv', 'slef'],
    re: rx(`\\b(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|starve|starving|use it on|using it on|do it to) ?(?:${SELF}|him ?self|her ?self|them ?selves|them ?self)\\b`),
    notAfter: /^ (?:on |onn |shaving|opening|lifting|moving|carrying|at work|at the gym|by accident|accidentally|while|when|in the kitchen|playing|falling|slipping|with (?:a|the) (?:box|stanley|bread|kitchen))/,
  },
  {
    id: 'self_harm.self_harm_word',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['selfharm', 'self harm', 'selfinjur', 'self injur', 'cutting again', 'used to cut', 'used to burn'],
    re: rx('\\bself ?(?:harm\\w*|injur\\w*)|\\b(?:started|start|been|am|im|keep|kept) cutting(?: myself)? again\\b|\\bused to (?:cut|burn)\\b'),
    notAfter: /^ ?(?:training|polic|awareness|prevention|first aid|course|leaflet|charity|support group|resources?)/,
  },
  {
    id: 'self_harm.suicide_word',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['sui', 'suc', 'sew'],
    re: rx('\\b(?:suicid\\w*|sucid\\w*|suicd\\w*|suisid\\w*|suiside\\w*|sucide\\w*|suiced\\w*|sewercide)'),
    notAfter: /^ ?(?:prevention|awareness|mission|squad|training|rates?|statistics|hotline|helpline|line|lifeline|risk assessment|polic|first aid|doors?|run|drills?|bomber|pact movie|squeeze|watch training|intervention training|safe ?talk)/,
    notBefore: /(?:prevent|prevention of|talk about|training on|course on|awareness of|about preventing) ?$/,
  },
  {
    id: 'self_harm.want_to_die',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['die', 'dead', 'alive', 'exist', 'wake', 'disappear', 'dying', 'suicide', 'to end', 'to stop', 'be over'],
    re: rx(`\\b${INTENT} (?:to )?(?:just )?(?:die|be dead|not (?:be )?(?:alive|here|exist|wake up)|stop existing|disappear (?:forever|for good|permanently)|never wake up)\\b|\\b(?:go to sleep|fall asleep|sleep) and (?:never|not) wake up\\b|\\b(?:if i|wish i|hope i|pray i) (?:just )?(?:didnt|dont|never|wouldnt|did not|do not) wake up\\b|\\b(?:no )?way out (?:except|but|other than|apart from|besides) (?:dying|death|to die|suicide|killing myself)\\b|\\b(?:want|wants|wanna|need|needs|wish|just want) (?:it all|everything|the pain|my life|all of this|all this) to (?:end|stop|be over)(?: forever| for good)?\\b`),
    notAfter: /^ ?(?:of |from |laughing|than|if i (?:have|had) to|when i saw|in (?:a|that) hole)/,
    // Devices and things "die" all day: "my phones about to die", "the scanner is going to die".
    notBefore: /\b(?:phones?|battery|batteries|laptop|tablet|scanner|scanners|gun|printer|car|van|truck|plants?|it|its|radio|torch|headset|till|machine|fridge|freezer|app|system|server|signal|wifi|conversation|trend|idea|joke|music|party) (?:is |was |are |were )?$/,
  },
  {
    id: 'self_harm.dont_want_to_live',
    level: 'crisis', category: 'self_harm', pastable: true, party: 'subject',
    needs: ['live', 'alive', 'exist', 'wake', 'go on', 'here any'],
    re: rx('\\b(?:dont|do not|didnt|doesnt|does not|no longer|never) (?:really )?(?:want|wanna|wish) to (?:live|be alive|exist|wake up|go on|carry on|be here any ?more|be here any longer|be around any ?more)\\b'),
    notAfter: /^ (?:in |with |near |like |on |at |there|here|together|as )/,
  },
  {
    id: 'self_harm.end_life',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['life', 'lives', 'it all', 'end it', 'end things', 'ending it', 'ending things', 'everything'],
    re: rx('\\b(?:end|ending|ended|take|taking|took) (?:my|his|her|their) (?:own )?li(?:fe|ves)\\b|\\b(?:end|ending) it all\\b|\\b(?:going to|gonna|want to|wanna|plan to|planning to|planning on|decided to|about to|ready to|i will|ill|time to|thinking (?:of|about)|think about|just) (?:end|ending) (?:it|things|everything)\\b(?! (?:with|early|there|for the day|on a|at \\d))'),
  },
  {
    id: 'self_harm.reason_to_live',
    level: 'crisis', category: 'self_harm', pastable: true, party: 'subject',
    needs: ['reason to', 'live for', 'better off', 'point in', 'point of', 'point living', 'worth'],
    re: rx('\\b(?:no|dont have a|dont have any|not a single|lost my|nothing left|no more) (?:reason|reasons) to (?:live|go on|keep going|be here|stay)\\b|\\bnothing (?:left )?to live for\\b|\\b(?:better off|be better) (?:dead|without me|if i (?:was|were) gone)\\b|\\bno point (?:in )?living\\b|\\b(?:dont|doesnt|does not|do not|didnt|cant|cannot|can not|no longer|never) (?:really )?see (?:the |any |much |a )?point (?:in|of) (?:living|being alive|life|staying alive|going on|carrying on|being here)\\b|\\b(?:theres|there is|there was|whats|what is) (?:no |the )?point (?:in|of) (?:living|being alive|staying alive)\\b|\\b(?:life|living|my life)(?: is| isnt| is not|s|nt)? (?:not |never |no longer )?worth (?:living|it any ?more|it anymore|going on)\\b'),
  },
  {
    id: 'self_harm.method',
    level: 'crisis', category: 'self_harm', negatable: true, pastable: true, party: 'subject',
    needs: ['jump', 'slit', 'wrist', 'rope', 'noose', 'bridge', 'ledge', 'roof', 'drive', 'train', 'pill', 'tablet', 'meds', 'medication', 'overdos', 'paracetamol'],
    re: rx('\\bjump(?:ing)? (?:off|from|in front of|under) (?:a |the |my |that )?\\w*|\\bslit (?:my|his|her) (?:wrists?|throat)|\\b(?:bought|buying|got|have|tied) (?:a|the) (?:rope|noose)\\b|\\bstanding (?:on|at) (?:the|a) (?:bridge|ledge|edge|roof|tracks|platform edge)\\b|\\bdrive (?:my car |the van |the truck |the lorry )?(?:into|off) (?:a|the) (?:wall|tree|bridge|lorry|truck|river|cliff|motorway)|\\b(?:saving|saved|stockpil\\w*|hoarding|collecting) (?:up )?(?:all )?(?:my |the |some |enough )?(?:pills|tablets|meds|medication|sleeping pills)|\\b(?:take|taking|swallow|swallowing|down) (?:all|every|the whole|a whole|a bunch of|all of|all the|loads of) (?:of )?(?:my |the |these |her |his )?(?:pills?|tablets?|meds|medication|bottle|packet)|\\b(?:thinking|think|thought) (?:about|of) (?:overdosing|an overdose|od ?ing)|\\b(?:going|gonna|want|wanna|plan|planning) to (?:overdose|od)\\b'),
  },
  {
    id: 'self_harm.farewell',
    level: 'crisis', category: 'self_harm', pastable: true, party: 'subject',
    needs: ['goodbye', 'letters', 'note', 'last message', 'miss me', 'be here', 'stop me', 'gave away', 'giving away', 'around much'],
    re: rx('\\b(?:goodbye|good bye|farewell|suicide) (?:message|note|letter|post|text|video)s?\\b|\\bthis is (?:goodbye|my last (?:message|shift|day on earth))\\b|\\b(?:written|wrote|writing) (?:goodbye )?(?:letters|notes|a letter|a note) (?:to|for) (?:my|the) (?:kids|children|family|mum|mom|dad|wife|husband|partner|son|daughter)|\\b(?:wont|will not|not going to) be (?:here|around) (?:next|much longer|for much longer|by|tomorrow|after)|\\bmiss me (?:if|when) (?:im|i am|i was|i were) (?:gone|dead|not here)|\\bdont (?:try to )?stop me\\b|\\b(?:gave|giving|given) away (?:all )?(?:his|her|my|their) (?:things|stuff|tools|belongings|possessions|games|pets)'),
    // The reason for going may come after a comma, a question or the next sentence ("this is goodbye from me, after
    // nine years on the checkouts I'm retiring", "can you help me write a goodbye message? I'm moving to the Leeds branch").
    // (notAfter reads the 60 characters after the match.) A reason is a whole word: reading past the sentence, the
    // letters of "of course", "tripped" or "stripped" set a plan aside ("this is goodbye. of course nobody will notice").
    notAfter:
      /^[^\n]*?\b(?:(?:holiday|vacation|annual leave|day off|days off|on leave|training|(?<!of )course|wedding|trip|maternity|paternity|funeral|appointment|branch|new job|new role|promotion|secondment|leaving do|moving to)(?:e?s)?\b|retir\w*|transfer\w*|relocat\w*|contract (?:ends|is up|runs out|finishes))/,
  },
  {
    // Overdose that has happened is also a medical emergency.
    id: 'self_harm.overdose_taken',
    level: 'crisis', category: 'self_harm', alsoCategories: ['medical_emergency'], party: 'subject', pastable: true, reportOver: 'concern',
    needs: ['overdos', 'took', 'swallowed', 'taken'],
    re: rx('\\b(?:overdosed|has overdosed|had an overdose|taken an overdose|took an overdose|od(?:e)?d)\\b|\\b(?:took|swallowed|taken|have taken|just took) (?:a whole|the whole|an entire|all|all of|all my|all the|every|loads of|a bunch of|too many|like \\d+|about \\d+|\\d+|twenty|thirty|fifty|a handful of|a full) ?(?:bottle|packet|box|pack)?(?: of)? ?(?:my |her |his |the )?(?:pills|tablets|paracetamol|ibuprofen|painkillers|sleeping pills|meds|medication|antidepressants|insulin)\\b'),
  },
];

export const MEDICAL_RULES: InputRule[] = [
  {
    id: 'medical.not_breathing',
    level: 'crisis', category: 'medical_emergency', party: 'subject', overIf: PAST_EVENT, reportOver: 'skip',
    needs: ['breath', 'breat', 'respond', 'conscious', 'wake', 'blue'],
    re: rx('\\b(?:not|isnt|is not|stopped|aint|no longer|barely) breathing\\b|\\bunconscious\\b|\\bunresponsive\\b|\\b(?:not|isnt|wont start|stopped) responding\\b|\\b(?:wont|will not|cant) wake (?:up|him|her)\\b|\\b(?:lips|face) (?:are|is|went|turning|going) blue\\b|\\bcant breathe? properly\\b|\\bcant get (?:my|his|her) breath\\b'),
    // "the app is not responding" is IT; "what if i just wont wake up" is ideation, read by the self-harm rules.
    notBefore: /(?:(?:email|emails|ticket|server|system|app|customers?|supplier|head office|printer|till|phone|scanner)\s?(?:is|are|keeps?|just)? ?|\bi (?:just )?)$/,
  },
  {
    id: 'medical.collapse',
    level: 'crisis', category: 'medical_emergency', party: 'subject', overIf: PAST_EVENT, reportOver: 'skip',
    needs: ['collaps', 'passed out', 'fainted', 'seizure', 'fitting', 'convuls', 'stroke', 'drooping', 'slurred'],
    re: rx('\\b(?:collapsed|collapsing|has collapsed|passed out|fainted|blacked out)\\b|\\b(?:having|had|has) a (?:seizure|fit|stroke)\\b|\\bseizure\\b|\\bconvuls\\w*|\\bface (?:is )?drooping|\\bdrooping on one side|\\bslurred (?:speech|words)|\\bspeech (?:is |was )?slurred'),
    notBefore: /(?:racking|shelf|shelving|shelves|pallet|stack|display|tent|roof|ceiling|market|sales|deal|price|business|company|system|server|talks|plan|project|sale|bridge|floor|wall|gazebo|boxes|tower|stand|nearly|almost) $/,
    notAfter: /^ (?:from (?:boredom|laughing|laughter)|on the sofa|in front of the tv|drunk at)/,
  },
  {
    id: 'medical.chest_pain',
    level: 'crisis', category: 'medical_emergency', party: 'subject', overIf: PAST_EVENT, reportOver: 'skip',
    needs: ['chest', 'heart attack', 'cardiac'],
    re: rx('\\b(?:chest pains?|pains? in (?:my|his|her|their) chest|crushing (?:pain|chest)|(?:having|had|has|is having) a heart attack|cardiac arrest)\\b|\\bchest (?:is |feels |gets )?(?:tight|tightness)(?=[^.!?\\n]{0,60}\\b(?:arm|jaw|sweat\\w*|breath\\w*|breathe|dizzy|pain|numb|grey|gray))'),
    notBefore: /(?:almost|nearly|gave me|give me|going to give me|gonna give me|will have|had) (?:a )?$/,
  },
  {
    id: 'medical.bleeding_injury',
    level: 'crisis', category: 'medical_emergency', party: 'subject', overIf: PAST_EVENT, reportOver: 'skip',
    needs: ['blood', 'bleed', 'burn', 'crush', 'fell', 'head', 'anaphyla', 'allerg', 'throat', 'choking', 'epipen', 'electrocut'],
    re: rx('\\bblood (?:everywhere|all over|wont stop|is pouring|pouring)\\b|\\b(?:bleeding|bleeds) (?:heavily|badly|a lot|everywhere|wont stop|from (?:his|her|my) head)|\\b(?:wont|cant|doesnt) stop bleeding\\b|\\blot of blood\\b|\\b(?:burned|burnt|scalded) (?:his|her|my|their) \\w+ (?:really |very |so )?badly|\\b(?:severe|bad|serious|really bad) burns?\\b|\\b(?:crushed|trapped) (?:his|her|my|their|under)\\b|\\bfell (?:off|from) (?:the|a) (?:ladder|racking|mezzanine|roof|loading dock|forklift|stairs)(?=[^.!?\\n]{0,60}\\b(?:unconscious|not moving|hit (?:his|her) head|bleeding|cant move|wont wake|blood))|\\bhit (?:his|her|their) head(?=[^.!?\\n]{0,40}\\b(?:unconscious|not moving|bleeding|confused|vomit))|\\banaphyla\\w*|\\b(?:allergic reaction|throat (?:is )?(?:swelling|closing|closed up))|\\bthroat (?:is )?swelling\\b|\\b(?:is|he is|she is|hes|shes|someone is|customer is) choking\\b|\\bepipen\\b|\\belectrocuted\\b'),
  },
  {
    id: 'medical.cant_breathe_with_signs',
    level: 'crisis', category: 'medical_emergency', party: 'subject', overIf: PAST_EVENT, reportOver: 'skip',
    needs: ['breathe'],
    re: rx('\\b(?:cant|can not|cannot|struggling to|unable to) breathe\\b(?=[^\\n]{0,80}\\b(?:chest|throat|lips|ambulance|asthma|inhaler|alone|choking|dizzy|help me|swelling|allerg))'),
  },
];

export const VIOLENCE_RULES: InputRule[] = [
  {
    id: 'violence.weapon_present',
    level: 'crisis', category: 'abuse_or_harassment', party: 'victim', reportOver: 'skip',
    needs: ['knife', 'gun', 'blade', 'machete', 'weapon', 'bat ', 'firearm', 'pistol', 'rifle', 'axe'],
    re: rx('\\b(?:pulled|pulling|waving|holding|pointing|brandishing|pulls|has|got|carrying|came in with|walked in with) (?:out )?(?:a|an|his|her|the) (?:knife|gun|blade|machete|weapon|firearm|pistol|rifle|axe|bat)\\b(?= (?:on|at) (?:me|us|him|her|them|my|the|a|someone|people|staff|customers?|everyone)\\b|[^.!?\\n]{0,40}\\b(?:right now|threat\\w*))'),
    notAfter: /^ (?:for (?:the|opening|cutting)|to (?:open|cut) (?:the )?(?:boxes|tape|cartons))/,
  },
  {
    id: 'violence.brought_weapon',
    level: 'crisis', category: 'harm_to_others', party: 'victim',
    needs: ['knife', 'gun', 'weapon', 'machete', 'firearm'],
    re: rx('\\b(?:brought|bring|bringing|brings|carry|carrying|hid|hidden|keeps?) (?:a|an|his|her|the|my) (?:knife|gun|blade|machete|weapon|firearm|pistol|rifle)\\b(?: (?:in|into|to) (?:work|the (?:store|shop|depot|warehouse|office|site))| in (?:his|her|my) (?:locker|bag|car|van))?|\\b(?:use|using) it on (?:the|my|him|her|them|someone|people|everyone)\\b'),
  },
  {
    // Threats of violence against the person or their staff, happening or announced.
    id: 'violence.threat',
    level: 'crisis', category: 'abuse_or_harassment', party: 'victim', reportOver: 'skip',
    needs: ['threat', 'come back', 'coming back', 'coming to'],
    re: rx('\\bthreat\\w* (?:me|us|her|him|them|my \\w+|the \\w+)? ?(?:with (?:a )?(?:knife|gun|weapon|violence)|to (?:stab|kill|hurt|beat|shoot|attack|hit|rape|punch|batter|smash|burn|come back and))\\b|\\bthreatening (?:me|us|her|him|my \\w+)(?= (?:right now|now|outside|again)|, (?:hes|shes) (?:blocking|outside|waiting))|\\b(?:come|coming|comes) (?:back|to (?:my|the|her|his) (?:work|store|shop|house|home|depot))(?: \\w+)? (?:and|to) (?:kill|shoot|stab|hurt|get|beat|attack|batter) (?:us|you|me|them|her|him|everyone|all)'),
  },
  {
    id: 'violence.assault_now',
    level: 'crisis', category: 'abuse_or_harassment', party: 'victim', reportOver: 'skip',
    needs: ['punch', 'hit', 'beat', 'attack', 'assault', 'strangl', 'chok', 'kick', 'leave', 'locked', 'rape', 'scared', 'afraid', 'car', 'stab'],
    re: rx('\\b(?:is|are|keeps?|started|start|just|been|kept) (?:punching|hitting|beating|attacking|kicking|assaulting|strangling|choking) (?:me|my|her|him|the|a|someone|people|us|staff|them)\\b|\\b(?:husband|wife|partner|boyfriend|girlfriend|ex|dad|father|mum|mom|mother|stepdad|stepfather|brother|son|flatmate|roommate) (?:hit|hits|hitting|beat|beats|beating|hurt|hurts|hurting|strangled|strangles|choked|chokes|kicked|kicks|punched|punches|raped|rapes|attacked|attacks) (?:me|her|him|them)\\b|\\b(?:wouldnt|wont|would not|will not|didnt) let (?:me|her|him) (?:leave|go|out)\\b|\\blocked (?:me|her|him) in\\b|\\b(?:scared|afraid|terrified|frightened) (?:to go home|for (?:my|her|his|their) (?:life|lives|safety))\\b|\\btried to (?:get|break) into (?:my|her|his) (?:car|house|flat|home)\\b|\\b(?:scared|afraid|terrified|frightened|worried) (?:that )?(?:he|she|they|hes|shes|theyre|my \\w+)(?:ll| will| is going to| are going to| might| is gonna| would|s going to|re going to)? (?:hurt|hit|kill|beat|attack|strangle|stab) (?:me|her|him|us|the kids|my kids)\\b|\\b(?:beat|batter|beating) (?:me|her|him|us|you) up\\b|\\b(?:raped|sexually assaulted) (?:me|her|him)\\b|\\bstabbed\\b'),
  },
  {
    // First-person (or reported) intent to harm someone; "going to kill him" alone is usually an idiom,
    // so kill/murder/strangle need a means or a plan in the same message.
    id: 'harm_to_others.intent',
    level: 'crisis', category: 'harm_to_others', party: 'victim',
    needs: ['stab', 'shoot', 'hurt', 'attack', 'beat', 'batter', 'bomb', 'poison'],
    re: rx('\\b(?:going to|gonna|want to|wanna|will|ill|hell|shell|theyll|plan to|planning to|about to|thinking (?:of|about)|fantasi[sz]e about) (?:stab|stabbing|shoot|shooting|hurt|hurting|attack|attacking|beat up|batter|poison|bomb|shoot up) (?:him|her|them|my \\w+(?: \\w+)?|the \\w+|someone|somebody|people|everyone|everybody|a customer|customers|that \\w+|this \\w+|\\w+ from)\\b'),
    notAfter: /^ ?(?:an? |a quick |over an? )?(?:email|e mail|message|text|note|line|dm|reply|invite)/,
    notBefore: /(?:dont|do not|never|wouldnt|would never|not) (?:\w+ )?$/,
  },
  {
    id: 'harm_to_others.kill_with_means',
    level: 'crisis', category: 'harm_to_others', party: 'victim',
    needs: ['kill', 'murder', 'strangle'],
    re: rx('\\b(?:going to|gonna|want to|wanna|will|ill|plan to|planning to|about to) (?:kill|murder|strangle) (?:him|her|them|my \\w+|the \\w+|someone|people|everyone)\\b(?=[^\\n]{0,120}\\b(?:knife|gun|bat|weapon|know where (?:he|she|they) (?:lives?|parks?)|for real|not joking|im serious|i mean it|planned|plan|tonight|tomorrow))'),
  },
];

export const HARASSMENT_RULES: InputRule[] = [
  {
    id: 'harassment.named',
    level: 'concern', category: 'abuse_or_harassment', negatable: true, party: 'victim',
    needs: ['bull', 'harass', 'picked on', 'picking on', 'pick on', 'haz', 'mock', 'humiliat', 'intimidat', 'victimi', 'retaliat', 'stalk', 'grope', 'racis', 'sexis', 'homophob', 'transphob', 'misgender', 'discriminat'],
    re: rx('\\b(?:bull(?:y|ied|ies|ying)|harass\\w*|picked on|picking on|pick on|haz(?:e|es|ed|ing)|mock(?:s|ed|ing)? (?:me|her|him|them|us|my|his|their|everyone|people|the (?:new|young|old))|humiliat\\w*|intimidat(?:e|es|ed|ion|ing (?:me|us|her|him|them|my|our|his|their|the|staff|people|everyone|colleagues|workers|new|young|junior|female|women|anyone|others))\\b|victimi[sz]\\w*|retaliat\\w*|stalk(?:s|ed|ing|er)?|grop(?:e|ed|es|ing)|racis[tm]\\w*|sexis[tm]\\w*|homophob\\w*|transphob\\w*|misgender\\w*|discriminat\\w*)\\b'),
    notBefore: /(?:anti|anti |prevent|preventing|policy on|training on|course on|training about|tackle|tackling|stop|if i (?:witness|see|hear|notice|spot) ?|if (?:there is|theres) ?) ?$/,
    notAfter: /^ ?(?:policy|policies|training|procedure|course|awareness|module|prevention)/,
  },
  {
    id: 'harassment.verbal_abuse',
    level: 'concern', category: 'abuse_or_harassment', party: 'victim',
    needs: ['scream', 'yell', 'shout', 'swear', 'call', 'names', 'spat', 'spit', 'silent treatment', 'rumour', 'rumor', 'notes', 'caption', 'regret', 'throw', 'threw', 'threat', 'leave me out', 'talk to me'],
    re: rx('\\b(?:screams?|screaming|screamed|yells?|yelling|yelled|shouts?|shouting|shouted|swears?|swearing|sweared|swore)(?: and (?:swears?|swearing|shouts?|screams?|yells?))? (?:at|that) (?:me|us|we|her|him|them|my \\w+)\\b|\\b(?:calls?|calling|called) (?:me|us|her|him|them) (?:names|stupid|useless|fat|ugly|lazy|thick|a \\w+)\\b|\\b(?:spat|spit|spits|spitting) (?:at|on) (?:me|her|him|us)\\b|\\bsilent treatment\\b|\\bspread\\w* (?:rumou?rs|lies)\\b|\\bnasty (?:notes|messages|comments)\\b|\\bmean (?:captions|comments|memes)\\b|\\b(?:ill|youll|you will|shell|hell|they will) regret it\\b|\\b(?:throws?|threw|throwing) (?:pans|things|stuff|plates|knives|boxes) (?:at|when|around)|\\bthreat\\w* to (?:fire|sack|cut|report|dismiss|get rid of|hurt|ruin|out) (?:me|her|him|us|them|my|the)\\b|\\b(?:leave|leaves|leaving|left) me out\\b|\\btells? (?:the )?others not to (?:help|talk to) me\\b'),
    notBefore: /\bi (?:\w+ )?$/,
  },
  {
    id: 'harassment.sexual',
    level: 'concern', category: 'abuse_or_harassment', party: 'victim',
    needs: ['sexual', 'touch', 'comment', 'unsolicited', 'inappropriate', 'creepy', 'pics', 'nudes', 'corner', 'grab', 'number', 'waits for', 'wait for', 'asking'],
    re: rx('\\bsexual (?:comments?|jokes?|remarks?|advances|messages|harassment)\\b|\\bcomment\\w* on (?:my|her|his) (?:body|looks|appearance|weight|chest|legs|bum|figure|boobs)\\b|\\b(?:keeps?|kept|keep) (?:touching|grabbing|rubbing|brushing against|cornering|following) (?:me|my|her|his|him)\\b|\\btouch(?:es|ed|ing)? (?:my|her) (?:lower back|back|bum|leg|legs|chest|waist|hair|thigh)\\b|\\bunsolicited (?:pics|pictures|photos|nudes|images)\\b|\\binappropriate (?:messages|comments|texts|touching|jokes|photos|pictures|behaviou?r)\\b|\\bgrabs? (?:my|her) (?:arm|wrist|bum|waist)\\b|\\bcornering (?:me|her|him)\\b|\\bwont go out with him\\b|\\bgo out with him\\b|\\b(?:are|were|is|was|get|gets|getting) (?:really |very |so |pretty |super )?(?:inappropriate|creepy|sexual)\\b|\\bwaits? for (?:me|her|him) (?:after|outside|at the end of)\\b|\\bkeeps? asking (?:me|her|him|my \\w+) (?:out|for (?:her|his|my) (?:number|address))\\b'),
  },
  {
    id: 'harassment.identity_abuse',
    level: 'concern', category: 'abuse_or_harassment', party: 'victim',
    needs: ['accent', 'stutter', 'weight', 'religion', 'skin', 'because im', 'because hes', 'because shes', 'terrorist', 'racist abuse'],
    re: rx('\\b(?:jokes?|laugh\\w*|comments?|abuse|names|fun) (?:about|at|of) (?:my|her|his) (?:accent|stutter|weight|religion|race|skin|colou?r|disability|hijab|turban|age|sexuality)\\b|\\b(?:about|on) my (?:accent|stutter|weight)\\b|\\bbecause (?:im|hes|shes|theyre|i am) (?:trans|gay|black|muslim|disabled|foreign|a woman|pregnant|old)\\b|\\bcall\\w* (?:me|him|her|them) a terrorist\\b|\\bracist abuse\\b'),
  },
];

export const DISTRESS_RULES: InputRule[] = [
  {
    id: 'distress.exhaustion',
    level: 'concern', negatable: true,
    needs: ['burn', 'exhaust', 'empty', 'sleep', 'slept', 'awake', 'energy', 'bed', 'eating', 'eat', 'motivation', 'breaking point', 'tether', 'rope', 'drowning', 'coping', 'cope'],
    re: rx('\\b(?:burnt|burned) ?out\\b|\\bburnout\\b|\\b(?:exhausted|knackered|shattered) (?:all the time|constantly|every day|and (?:i|my))\\b|\\brunning on empty\\b|\\b(?:cant|can not|cannot|havent|not been able to|struggling to|struggle to|dont) (?:get to |go to )?sleep\\b|\\b(?:havent|not|barely) (?:been )?(?:slept|sleeping|eating)\\b|\\blie awake\\b|\\b(?:no|zero) energy (?:left|for anything)\\b|\\bstruggling to get out of bed\\b|\\bcant get out of bed\\b|\\blost (?:all )?(?:my )?motivation\\b|\\bat (?:my )?breaking point\\b|\\bend of my (?:tether|rope)\\b|\\b(?:feel|feels|feeling) like (?:im|i am) drowning\\b|\\bcant cope\\b|\\bcan not cope\\b|\\bnot coping\\b|\\bdont know how (?:much longer|long) i can (?:keep going|go on|do this|cope)\\b'),
  },
  {
    id: 'distress.hopelessness',
    level: 'concern', negatable: true,
    needs: ['hopeless', 'point', 'worthless', 'failure', 'hate myself', 'give up', 'giving up', 'trapped', 'burden', 'dark', 'no way out', 'existing', 'notice', 'miss me', 'care if', 'disappear', 'anymore', 'any more', 'heavy', 'grey', 'gray', 'motions'],
    re: rx('\\bhopeless\\b|\\b(?:whats|what is|dont see|theres no|there is no|no|cant see|cant see the|see no) (?:even )?(?:the )?point (?:(?:of|in) (?:anything|it all|any of (?:it|this)|trying|going on|carrying on|getting up|life|me|myself|being here)\\b|anymore|any more|trying|to anything|to any of)|\\bwhats (?:even )?the point\\b|\\b(?:feel|feeling|felt|im|i am|so|completely|totally|utterly) (?:so |completely |totally |utterly )?worthless\\b|\\b(?:a|such a|total|complete) failure\\b|\\bhate myself\\b|\\bgiv(?:e|ing) up on (?:everything|life|myself)\\b|\\bfeel(?:ing)? like giving up\\b|\\b(?:feel|feeling|am|im|so) trapped\\b(?! between| in the middle)|\\b(?:a|such a) burden\\b|\\bdark (?:thoughts|place)\\b|\\bno way out\\b|\\bjust existing\\b|\\bgoing through the motions\\b|\\b(?:nobody|no one|noone|no body) (?:would|will|even) (?:notice|care|miss me)\\b|\\bwish i could (?:just )?disappear\\b|\\bcant (?:do|take) (?:this|it) (?:anymore|any more|much longer)\\b|\\bcant go on\\b|\\bheavy and (?:grey|gray|dark)\\b|\\bletting everyone down\\b'),
  },
  {
    id: 'distress.mood',
    level: 'concern', negatable: true,
    needs: ['inside', 'cry', 'tears', 'broke down', 'panic', 'anxious', 'anxiety', 'depress', 'numb', 'empty', 'alone', 'lonely', 'falling apart', 'losing it', 'not ok', 'overwhelm', 'dread', 'nightmare', 'sick going', 'palpitation', 'tight', 'low', 'struggling', 'drinking', 'self medicat', 'selfmedicat', 'sleeping pills', 'hair', 'zoning', 'focus', 'urge', 'worry', 'worrying'],
    re: rx('\\bcry(?:ing)? (?:in|before|after|every|at|all|myself)\\b|\\b(?:burst|bursting|broke|breaking) (?:down|into tears)\\b|\\b(?:having|had|have|get|getting|started having|started getting|keep having|my) panic attacks?\\b|\\bpanic attack (?:at|before|in|on|every|when)\\b|\\b(?:so |really |always |constantly )?anxious (?:all the time|every|constantly)\\b|\\b(?:my|i have|ive got|i get|with my|dealing with|struggling with) (?:bad |severe |really bad )?(?:anxiety|depression)\\b|\\banxiety is (?:bad|awful|terrible|through the roof|getting worse|back)\\b|\\b(?:im|i am|been|feel|feeling|might be|think i(?:m| am| might be)|so) (?:really |so |very |quite )?depressed\\b|\\b(?:feel|feeling|felt|im|i am) (?:so |really )?(?:empty|numb)\\b|\\b(?:feel|feeling|im|i am) (?:so )?(?:alone|lonely)\\b|\\bso lonely\\b|\\bfalling apart\\b|\\b(?:feel|feeling) like (?:im|i am) losing it\\b|\\b(?:im|i am|really) not (?:ok|okay)\\b(?! with)|\\b(?:im|i am|feel|feeling|so) (?:so |really |completely )?overwhelmed\\b|\\bdread(?:ing)? (?:it|going|coming|every|work|my|the thought)\\b|\\bnightmares\\b|\\bfeel sick (?:going|before|every|about going)\\b|\\bheart palpitations\\b|\\b(?:dead|dying|empty|broken) inside\\b|\\bchest gets tight\\b|\\b(?:feel|feeling) (?:really |so |very )?low\\b(?! on)|\\b(?:im|i am|been|really) struggling\\b|\\bdrinking (?:most|every|a lot|to cope|just to)\\b|\\bself ?medicat\\w*|\\bhair is falling out\\b|\\bzoning out\\b|\\bcant (?:focus|concentrate)\\b|\\burges? (?:are|is) back\\b|\\bcant stop worrying\\b|\\b(?:tired|sick) of (?:everything|life|living|it all)\\b'),
  },
];

export const INJECTION_RULES: InputRule[] = [
  {
    id: 'injection.override',
    level: 'none', category: 'prompt_injection',
    needs: ['ignore', 'disregard', 'forget', 'override', 'bypass', 'overrule'],
    re: rx('\\b(?:ignore|disregard|forget|override|bypass|overrule|skip)(?: all| any| of)?(?: the| your| my| these| those| this)?(?: (?:previous|prior|above|earlier|preceding|original|initial|system|safety|company|existing|current|old|developer|hidden))* (?:instructions?|prompts?|rules|guidelines|directives|messages?|context|programming|restrictions|polic(?:y|ies)|guardrails|filters|settings|training)\\b|\\bforget (?:everything|all|what) (?:you were|youve been|you have been|youre|you are|you know|above|before|i said)\\b'),
    notBefore: /(?:dont|do not|not|never|to|shouldnt|mustnt|how (?:do|can) i|my team|they|staff|people|he|she|we|you) ?$/,
  },
  {
    id: 'injection.prompt_extraction',
    level: 'none', category: 'prompt_injection',
    needs: ['prompt', 'instruction', 'above', 'system', 'rules you', 'your rules'],
    re: rx('\\b(?:reveal|show|print|output|display|repeat|tell me|give me|share|dump|leak|copy|paste|translate|list|recite|what (?:is|are|were|was))(?: me)?(?: \\w+){0,4} (?:your|the) (?:system|hidden|initial|original|secret|internal|developer|full|exact|first|pre)? ?(?:prompt|instructions|system message|rules you|configuration)\\b|\\binstructions (?:you were|youve been|you have been) given\\b|\\b(?:repeat|print|output|show) (?:everything|all|the text|the words|what is|whats) (?:written )?above\\b|\\b(?:your|the) (?:system|hidden|initial|original) (?:prompt|instructions|message)\\b'),
  },
  {
    id: 'injection.role_marker',
    level: 'none', category: 'prompt_injection',
    needs: ['system', 'instruction', 'developer', 'admin'],
    re: rx('(?:^|\\n)[ #>*[(]*(?:system|developer|admin)[\\])]? ?:|<\\/? ?(?:system|sys|instructions?|im_start|developer)\\b|\\[(?:system|inst)\\]|#{2,} ?(?:new )?(?:system|instructions)|\\bnew (?:system (?:message|prompt)|instructions) ?:|\\b(?:disable|turn off|switch off|deactivate) (?:your |the |all )?(?:safety|content) (?:filters?|rules|policy|checks)\\b|\\b(?:safety|content) (?:rules|filters|policy) (?:no longer|dont|do not) apply\\b'),
  },
];

export const JAILBREAK_RULES: InputRule[] = [
  {
    id: 'jailbreak.persona',
    level: 'none', category: 'jailbreak',
    needs: ['dan', 'developer mode', 'jailbreak', 'no longer', 'unfiltered', 'uncensored', 'unrestricted', 'do anything now', 'evil', 'no rules', 'restriction', 'filter', 'limits', 'ethic', 'grandma', 'grandmother'],
    re: rx('\\byou are (?:now )?dan\\b|\\bdo anything now\\b|\\b(?:developer|god|debug|dan|jailbreak|jailbroken|unrestricted|sudo) mode\\b|\\bjailbr(?:eak|oken)\\w*|\\byou are no longer (?:a|an|my|the) \\w+|\\b(?:unfiltered|uncensored|unrestricted|unaligned) (?:ai|model|assistant|version|chatbot|bot|mode)\\b|\\b(?:respond|answer|reply|act|talk) (?:as|like) (?:an? )?(?:uncensored|unfiltered|unrestricted|evil)\\b|\\b(?:without|with no|no) (?:any )?(?:rules|restrictions|filters|limits|limitations|ethics|ethical guidelines|guidelines|censorship|content policy)\\b|\\bno (?:rules|restrictions|limits)\\b|\\bevil ?(?:coach|bot|ai|assistant|twin|mode)\\b|\\b(?:pretend|act|roleplay|role play) (?:you are|youre|to be|as) my (?:late |dead |deceased )?(?:grandma|grandmother|granny|nan)\\b'),
    notBefore: /(?:team|staff|crew|we|they|there are|there is|with|kids|customers) (?:\w+ )?$/,
  },
];

export const TOXICITY_RULES: InputRule[] = [
  {
    // A short list of slurs: presence is enough. Kept deliberately modest.
    id: 'toxicity.slur',
    level: 'none', category: 'toxicity',
    needs: ['retard', 'fag', 'tranny', 'spastic', 'spaz', 'nigg', 'chink', 'paki', 'kike', 'wetback', 'dyke'],
    re: rx('\\b(?:retard(?:s|ed)?|fag(?:s|got|gots)?|trann(?:y|ies)|spastic|spaz|nigg(?:er|ers|a|as)|chinks?|pakis?|kikes?|wetbacks?|dykes?)\\b'),
  },
  {
    id: 'toxicity.abusive_insult',
    level: 'none', category: 'toxicity',
    needs: ['bitch', 'cunt', 'whore', 'slut', 'piece of shit', 'slob', 'cow', 'moron', 'kys', 'scum', 'twat', 'dickhead', 'pig'],
    re: rx('\\b(?:cunts?|whores?|sluts?|twats?|dickheads?|scumbags?|kys)\\b|\\b(?:lazy|stupid|dumb|fat|ugly|useless|silly|old|that|this|you|a|the|little) (?:\\w+ )?(?:bitch|bitches|slob|cow|pig|moron|morons)\\b|\\bpiece of (?:shit|crap|garbage)\\b|\\b(?:is|are|youre|hes|shes|theyre) (?:a |an )?(?:total |complete |fucking |absolute )?(?:moron|idiot|bitch|scum)\\b'),
    notBefore: /(?:life is|lifes|thats|its|what|son of) (?:a )?$/,
  },
  {
    id: 'toxicity.group_insult',
    level: 'none', category: 'toxicity',
    needs: ['immigrant', 'foreigner', 'women', 'muslim', 'jew', 'gays', 'blacks', 'asians', 'mexican', 'polish', 'romanian', 'refugee', 'old people', 'disabled'],
    re: rx('\\b(?:immigrants|foreigners|women|muslims|jews|gays|blacks|asians|mexicans|poles|polish|romanians|refugees|old people|disabled people)\\b(?: \\w+){0,4} (?:are |all |so )*(?:lazy|stupid|dirty|thieves|animals|vermin|useless|scum|criminals|subhuman)\\b'),
  },
];

/** In evaluation order: the most serious first (all rules always run; order only shapes rule id lists). */
export const INPUT_RULES: readonly InputRule[] = [
  ...SELF_HARM_RULES,
  ...MEDICAL_RULES,
  ...VIOLENCE_RULES,
  ...HARASSMENT_RULES,
  ...DISTRESS_RULES,
  ...INJECTION_RULES,
  ...JAILBREAK_RULES,
  ...TOXICITY_RULES,
];
