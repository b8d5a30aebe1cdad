// The offline coach in the person's language (ADR 049): every supported language but English has the
// coach's words, each with its placeholders, and a turn in that language is coached in it — grounded in
// the pack's passages (quoted as written) or saying plainly that the guidance does not cover it.
import { describe, expect, it } from 'vitest';
import { generateText } from 'ai';
import { composeSystemPrompt, loadPromptFiles, requirePromptFile, type PromptPassage, type PromptTenant } from '~/.server/coach/prompt';
import { OfflineCoachModel } from '~/.server/models/offline-coach';
import { OFFLINE_COACH_TEXT, offlineCoachText } from '~/.server/models/offline-coach-text';
import { CHECK_IN_FIRST_NOTE, replyLanguageNote } from '~/.server/models/prompt-sections';
import { LANGUAGE_NAMES, SUPPORT_TEXT, SUPPORTED_LANGUAGES, type LanguageCode } from '~/lib/i18n';

const files = loadPromptFiles();
const tenant: PromptTenant = {
  name: 'Harbour Hotels',
  tone: { formality: 'neutral', warmth: 'warm', directness: 'balanced', wordsToUse: [], wordsToAvoid: [], addressAs: 'first name' },
  norms: [],
};
const passages: PromptPassage[] = [
  { id: 'c-swap', document: 'Shift swap policy', heading: 'Approving swaps', text: 'Crew members may swap shifts only with their manager’s approval. Every swap must be logged in the rota app 24 hours before the shift starts.', version: 3 },
  { id: 'c-late', document: 'Attendance', heading: 'Lateness', text: 'If you are running late, call the duty manager before your shift starts. Crew who are late three times in a month have a private conversation with their manager.', version: 1 },
];

async function reply(language: LanguageCode, message: string, p: PromptPassage[] = passages): Promise<string> {
  const system = composeSystemPrompt({
    safetyRules: requirePromptFile(files, 'safety-rules'),
    persona: requirePromptFile(files, 'persona'),
    tenant,
    passages: p,
    hrContact: 'Harbour People Team',
    turnNotes: [replyLanguageNote(language, LANGUAGE_NAMES[language].english)],
  }).system;
  return (await generateText({ model: new OfflineCoachModel(), system, prompt: message })).text;
}

describe('the offline coach’s words in other languages', () => {
  const others = SUPPORTED_LANGUAGES.filter((l) => l !== 'en');
  it.each(others)('%s: every field and move, with its placeholders', (language) => {
    const text = OFFLINE_COACH_TEXT[language]!;
    expect(text).toBeDefined();
    expect(text.guidanceSays).toContain('{tenant}');
    expect(text.notCovered).toContain('{tenant}');
    expect(text.notCovered).toContain('{who}');
    expect(text.moves.sensitive.nextStep).toContain('{who}');
    for (const move of Object.values(text.moves)) {
      expect(move.question.length).toBeGreaterThan(5);
      expect(move.nextStep.length).toBeGreaterThan(20);
    }
    expect(text.followUp.opener.length).toBeGreaterThan(5);
    expect(text.reflectionOther.length).toBeGreaterThan(10);
    expect(text.checkInOther).toMatch(/[?？؟]/);
    expect(text.followUp.questions.length).toBeGreaterThan(0);
    expect(text.followUp.nextSteps.length).toBeGreaterThan(0);
    // Not English left over.
    expect(`${text.opener} ${text.reflection} ${text.questionLabel}`).not.toMatch(/\b(the|you|thanks|consider|step)\b/i);
  });
  it('checks in on the team member, not the manager, when the feeling is theirs (ADR 083)', async () => {
    const system = composeSystemPrompt({
      safetyRules: requirePromptFile(files, 'safety-rules'),
      persona: requirePromptFile(files, 'persona'),
      tenant,
      passages,
      hrContact: 'Harbour People Team',
      turnNotes: [replyLanguageNote('es', 'Spanish'), CHECK_IN_FIRST_NOTE],
    }).system;
    const text = (await generateText({ model: new OfflineCoachModel(), system, prompt: 'Una de mis agentes me dijo llorando que su pareja la espera fuera del edificio cada noche. ¿Qué hago?' })).text;
    expect(text.startsWith(OFFLINE_COACH_TEXT.es!.checkInOther)).toBe(true);
    expect(text).toContain(OFFLINE_COACH_TEXT.es!.reflectionOther);
    expect(text).not.toContain(OFFLINE_COACH_TEXT.es!.reflectionFeeling);
  });
  it('French keeps its space before ? and : through the reply’s tidying', async () => {
    const text = await reply('fr', 'Un caissier arrive en retard presque chaque semaine. Que faire ?');
    expect(text).toContain('Une question à se poser\u202F:');
    // Outside the quoted (English) passage lines, no ? or : sits right after a word.
    const french = text.split('\n').filter((line) => !line.startsWith('- ')).join('\n');
    expect(french).not.toMatch(/[^\s\u202F][?:](?:\s|$)/u);
  });
  it('English has none: the English coach is the original', () => {
    expect(offlineCoachText('en')).toBeNull();
    expect(offlineCoachText(null)).toBeNull();
  });
});

describe('a turn in another language', () => {
  it('is coached in that language, quoting the passage that answers (Spanish lateness)', async () => {
    const es = OFFLINE_COACH_TEXT.es!;
    const text = await reply('es', 'Una cajera llega tarde casi todas las semanas. ¿Qué hago?');
    expect(text.startsWith(es.opener)).toBe(true);
    expect(text).toContain(es.guidanceSays.replace('{tenant}', 'Harbour Hotels'));
    expect(text).toMatch(/- Attendance \(Lateness\): "[^"]*late[^"]*" \[P2\]/);
    expect(text).toContain(`**${es.questionLabel}** ${es.moves.lateness.question}`);
    expect(text).not.toContain(SUPPORT_TEXT.es.englishOnlyCoach);
    expect(text).not.toMatch(/A question to consider|Here is what/);
  });

  it('checks in first when the message carries distress, read through its gloss (Polish)', async () => {
    const pl = OFFLINE_COACH_TEXT.pl!;
    const text = await reply('pl', 'Jestem kompletnie wypalona, ciągły stres, a grafik na weekend się sypie.');
    expect(text.startsWith(pl.checkIn)).toBe(true);
  });

  it('says plainly in that language that the guidance does not cover it, and names who to ask (Chinese)', async () => {
    const zh = OFFLINE_COACH_TEXT.zh!;
    const text = await reply('zh', '公司会给员工报销健身房会员费吗?', []);
    expect(text).toContain(zh.notCovered.replace('{tenant}', 'Harbour Hotels').replace('{who}', 'Harbour People Team'));
    expect(text).not.toMatch(/\[P\d\]/);
  });

  it('an English crisis word in another language’s turn gets the English crisis reply, after the notice', async () => {
    const text = await reply('fr', 'Mon collègue parle de suicide depuis ce matin.');
    expect(text.startsWith(SUPPORT_TEXT.fr.englishOnlyCoach)).toBe(true);
    expect(text).toMatch(/emergency number/);
  });
});
