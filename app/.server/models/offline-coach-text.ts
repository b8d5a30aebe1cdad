// The offline coach's words in the person's language (ADR 049): when a manager writes in another
// language than English, the offline coach coaches in that language — the same moves, the same rule
// for grounding (quote the passage that answers, or say plainly that the guidance does not cover it and
// name who to ask). Passages are quoted as the pack writes them (English today), and the reply says so.
// One register per language (the one the support texts in lib/i18n.ts use); the English reply's
// formality and directness variants and its tenant-vocabulary swaps are English-only.
import type { LanguageCode } from '~/lib/i18n';

export type CoachTopic = 'sensitive' | 'safety' | 'wellbeing' | 'swap' | 'lateness' | 'hardNews' | 'conflict' | 'general';

export interface OfflineCoachText {
  opener: string;
  /** The reflection after the opener, by what the message is about. */
  reflection: string;
  reflectionSensitive: string;
  /** When the message names a feeling (stress, exhaustion, upset…). */
  reflectionFeeling: string;
  /** Distress in the message, or the turn asks to check in first. */
  checkIn: string;
  /** Danger words in the message. */
  danger: string;
  /** Lead-in to quoted passages; {tenant} is the company's name (or `yourCompany`). */
  guidanceSays: string;
  /** No passage answers: {tenant}, {who} (the tenant's HR contact, or `hr`). */
  notCovered: string;
  /** The message only acknowledges the previous answer ("gracias"): a short reply, nothing cited. */
  acknowledged: string;
  yourCompany: string;
  hr: string;
  questionLabel: string;
  nextStepLabel: string;
  /** On a follow-up in the same conversation: the opener, and questions and next steps to move on to once the topic's own were said. */
  followUp: { opener: string; questions: string[]; nextSteps: string[] };
  /** A question to consider and a next step, by topic; {who} as above. */
  moves: Record<CoachTopic, { question: string; nextStep: string }>;
}

export const OFFLINE_COACH_TEXT: Partial<Record<LanguageCode, OfflineCoachText>> = {
  es: {
    opener: 'Gracias por contármelo.',
    reflection: 'Parece una situación complicada, y está bien que te la tomes en serio.',
    reflectionSensitive: 'Es una situación seria, y está bien que la pienses con calma antes de actuar.',
    reflectionFeeling: 'Parece que esto te está pesando, y es comprensible con lo que tienes entre manos.',
    checkIn: 'Antes de nada: ¿estás bien?',
    danger: '¿Está pasando ahora mismo? ¿Estás bien? Si alguien está en peligro inmediato, llama primero al número de emergencias.',
    guidanceSays: 'Esto es lo que dicen las pautas de {tenant} (cito el texto en inglés, tal como está escrito):',
    notCovered: 'Las pautas de {tenant} no cubren esto, así que no voy a inventar una norma ni a remitirte a una política que no responde a tu pregunta. Consúltalo con {who} antes de actuar.',
    acknowledged: 'De nada. Si surge algo más o quieres preparar lo que vas a decir, aquí estoy.',
    yourCompany: 'tu empresa',
    hr: 'Recursos Humanos',
    questionLabel: 'Una pregunta para pensar:',
    nextStepLabel: 'Un siguiente paso concreto:',
    followUp: {
      opener: 'Sigamos desde ahí.',
      questions: ['¿Qué has probado ya y cómo ha ido?', 'Si esto sale bien, ¿qué será distinto dentro de un mes?'],
      nextSteps: ['Antes de la próxima conversación, apunta lo que se acordó la última vez y lo que ha pasado desde entonces, para partir de hechos y no de memoria.', 'Acordad un cambio pequeño y concreto y una fecha para revisarlo juntos, y déjalo por escrito para que los dos tengáis lo mismo.'],
    },
    moves: {
      sensitive: { question: '¿Qué hechos tienes hasta ahora y quién más necesita saberlo?', nextStep: 'Apunta los hechos (qué pasó, cuándo, quién estaba) y habla con {who} antes de tomar ninguna medida.' },
      safety: { question: '¿Es seguro que siga trabajando ahora mismo, y qué haría falta para que lo sea?', nextStep: 'Si alguien no está en condiciones de trabajar con seguridad, para la tarea ahora y sigue las normas de fatiga o de seguridad; cuando todos estén a salvo, habla en privado de lo que hay detrás y de qué ayudaría.' },
      wellbeing: { question: '¿Qué es una cosa que podrías quitarte de encima esta semana?', nextStep: 'Elige una tarea para delegar o aplazar esta semana y reserva una conversación corta con tu propio responsable sobre la carga de trabajo.' },
      swap: { question: '¿Cómo sería una forma justa de gestionar los cambios de turno, para ti y para el equipo?', nextStep: 'Ten esta semana una conversación breve y en privado con cada persona: cuenta lo que has notado, pregunta qué hay detrás y acordad cómo se aprueban los cambios a partir de ahora.' },
      lateness: { question: '¿Qué crees que puede haber detrás?', nextStep: 'Ten una conversación tranquila y en privado: menciona las fechas concretas, pregunta qué está pasando y acordad una expectativa clara y una fecha para volver a hablar.' },
      hardNews: { question: '¿Qué es lo que más quieres que se lleve de la conversación?', nextStep: 'Prepara la conversación: di la decisión en la primera frase, da las razones reales y deja espacio para su reacción y para hablar de lo que viene después.' },
      conflict: { question: '¿Qué resultado funcionaría para las dos personas?', nextStep: 'Habla con cada persona por separado para escuchar su versión y después reúnelas en torno a un objetivo común.' },
      general: { question: '¿Cómo sería un buen resultado para ti?', nextStep: 'Apunta los hechos tal como los ves y ten una conversación breve y en privado para escuchar a la otra parte antes de decidir nada.' },
    },
  },
  fr: {
    opener: 'Merci de m’en parler.',
    reflection: 'La situation a l’air délicate, et c’est bien que vous la preniez au sérieux.',
    reflectionSensitive: 'C’est une situation sérieuse, et c’est bien que vous preniez le temps d’y réfléchir avant d’agir.',
    reflectionFeeling: 'On dirait que cela vous pèse, et c’est compréhensible vu ce que vous avez à gérer.',
    checkIn: 'Avant tout : est-ce que vous allez bien ?',
    danger: 'Est-ce que cela se passe en ce moment ? Est-ce que vous allez bien ? Si quelqu’un est en danger immédiat, appelez d’abord le numéro d’urgence.',
    guidanceSays: 'Voici ce que disent les consignes de {tenant} (je cite le texte en anglais, tel qu’il est écrit) :',
    notCovered: 'Les consignes de {tenant} ne couvrent pas ce point : je ne vais donc pas deviner une règle ni vous renvoyer vers une politique qui n’y répond pas. Vérifiez auprès de {who} avant d’agir.',
    acknowledged: 'Avec plaisir. Si autre chose se présente, ou si vous voulez préparer ce que vous allez dire, je suis là.',
    yourCompany: 'votre entreprise',
    hr: 'les RH',
    questionLabel: 'Une question à se poser :',
    nextStepLabel: 'Une prochaine étape concrète :',
    followUp: {
      opener: 'Reprenons à partir de là.',
      questions: ['Qu’avez-vous déjà essayé, et comment cela a-t-il été reçu ?', 'Si cela se passe bien, qu’est-ce qui aura changé dans un mois ?'],
      nextSteps: ['Avant le prochain échange, notez ce qui a été convenu la dernière fois et ce qui s’est passé depuis, pour partir des faits plutôt que de souvenirs.', 'Convenez d’un changement petit et précis et d’une date pour en reparler ensemble, et mettez-le par écrit pour que vous ayez tous les deux la même trace.'],
    },
    moves: {
      sensitive: { question: 'Quels faits avez-vous pour l’instant, et qui d’autre doit être informé ?', nextStep: 'Notez les faits (ce qui s’est passé, quand, qui était là) et parlez-en à {who} avant de prendre la moindre mesure.' },
      safety: { question: 'Est-ce sûr qu’il ou elle continue maintenant, et que faudrait-il pour que ce le soit ?', nextStep: 'Si quelqu’un n’est pas en état de travailler en sécurité, arrêtez la tâche maintenant et suivez les règles sur la fatigue ou la sécurité ; une fois tout le monde en sécurité, parlez en privé de ce qui se passe et de ce qui aiderait.' },
      wellbeing: { question: 'Quelle est une chose que vous pourriez retirer de votre liste cette semaine ?', nextStep: 'Choisissez une tâche à déléguer ou à mettre en pause cette semaine, et prévoyez un court échange avec votre propre responsable sur la charge de travail.' },
      swap: { question: 'À quoi ressemblerait une façon juste de gérer les échanges de postes, pour vous et pour l’équipe ?', nextStep: 'Prenez cette semaine un moment court et en privé avec chaque personne : dites ce que vous avez remarqué, demandez ce qui se passe et convenez de la façon dont les échanges seront validés désormais.' },
      lateness: { question: 'À votre avis, qu’est-ce qui pourrait expliquer cela ?', nextStep: 'Ayez un échange calme et en privé : citez les dates précises, demandez ce qui se passe, et convenez d’une attente claire et d’une date pour refaire le point.' },
      hardNews: { question: 'Que voulez-vous surtout que la personne retienne de l’échange ?', nextStep: 'Préparez l’échange : annoncez la décision dès la première phrase, donnez les vraies raisons, puis laissez de la place à sa réaction et parlez de la suite pour elle.' },
      conflict: { question: 'Quelle issue conviendrait aux deux personnes ?', nextStep: 'Parlez à chacune séparément pour entendre sa version, puis réunissez-les autour d’un objectif commun.' },
      general: { question: 'À quoi ressemblerait une bonne issue pour vous ?', nextStep: 'Notez les faits tels que vous les voyez, puis ayez un court échange en privé pour entendre l’autre partie avant de décider quoi que ce soit.' },
    },
  },
  de: {
    opener: 'Danke, dass du mir davon erzählst.',
    reflection: 'Das klingt nach einer schwierigen Situation, und es ist gut, dass du sie ernst nimmst.',
    reflectionSensitive: 'Das ist eine ernste Situation, und es ist gut, dass du sie durchdenkst, bevor du handelst.',
    reflectionFeeling: 'Es klingt, als würde dich das belasten, und das ist verständlich bei dem, was gerade los ist.',
    checkIn: 'Vor allem anderen: Geht es dir gut?',
    danger: 'Passiert das gerade jetzt? Geht es dir gut? Wenn jemand in unmittelbarer Gefahr ist, ruf zuerst den Notruf an.',
    guidanceSays: 'Das sagen die Richtlinien von {tenant} (ich zitiere den englischen Text, so wie er geschrieben ist):',
    notCovered: 'Die Richtlinien von {tenant} decken das nicht ab. Ich rate deshalb keine Regel und verweise dich nicht auf eine Richtlinie, die die Frage nicht beantwortet. Bitte kläre das mit {who}, bevor du handelst.',
    acknowledged: 'Gern geschehen. Wenn noch etwas aufkommt oder du das Gespräch vorbereiten möchtest, frag einfach.',
    yourCompany: 'deinem Unternehmen',
    hr: 'der Personalabteilung',
    questionLabel: 'Eine Frage zum Nachdenken:',
    nextStepLabel: 'Ein konkreter nächster Schritt:',
    followUp: {
      opener: 'Lass uns da weitermachen.',
      questions: ['Was hast du schon versucht, und wie kam es an?', 'Wenn das gut läuft: Was ist in einem Monat anders?'],
      nextSteps: ['Schreib vor dem nächsten Gespräch auf, was beim letzten Mal vereinbart wurde und was seitdem passiert ist, damit du von Fakten ausgehst und nicht aus dem Gedächtnis.', 'Vereinbart eine kleine, konkrete Änderung und einen Termin, an dem ihr gemeinsam darauf schaut, und haltet es schriftlich fest, damit ihr beide dasselbe habt.'],
    },
    moves: {
      sensitive: { question: 'Welche Fakten hast du bisher, und wer muss noch Bescheid wissen?', nextStep: 'Schreib die Fakten auf (was passiert ist, wann, wer dabei war) und sprich mit {who}, bevor du etwas unternimmst.' },
      safety: { question: 'Ist es gerade sicher, weiterzuarbeiten, und was bräuchte es, damit es sicher ist?', nextStep: 'Wenn jemand nicht sicher arbeiten kann, stoppe die Arbeit jetzt und folge den Regeln zu Müdigkeit und Sicherheit; wenn alle sicher sind, sprich unter vier Augen darüber, was dahintersteckt und was helfen würde.' },
      wellbeing: { question: 'Was ist eine Sache, die du diese Woche abgeben könntest?', nextStep: 'Such dir eine Aufgabe aus, die du diese Woche abgibst oder pausierst, und vereinbare ein kurzes Gespräch mit deiner eigenen Führungskraft über die Arbeitslast.' },
      swap: { question: 'Wie sähe ein fairer Umgang mit Schichttauschen aus, für dich und für das Team?', nextStep: 'Führe diese Woche mit jeder Person ein kurzes Gespräch unter vier Augen: Sag, was dir aufgefallen ist, frag, was dahintersteckt, und vereinbart, wie Tausche ab jetzt genehmigt werden.' },
      lateness: { question: 'Was könnte deiner Meinung nach dahinterstecken?', nextStep: 'Führe ein ruhiges Gespräch unter vier Augen: Nenn die konkreten Daten, frag, was los ist, und vereinbart eine klare Erwartung und einen Termin, um wieder darauf zu schauen.' },
      hardNews: { question: 'Was soll die Person vor allem aus dem Gespräch mitnehmen?', nextStep: 'Plane das Gespräch: Sag die Entscheidung im ersten Satz, nenn die echten Gründe, lass dann Raum für ihre Reaktion und sprecht darüber, wie es für sie weitergeht.' },
      conflict: { question: 'Welches Ergebnis würde für beide funktionieren?', nextStep: 'Sprich mit jeder Person einzeln, um ihre Sicht zu hören, und bring sie dann bei einem gemeinsamen Ziel zusammen.' },
      general: { question: 'Wie sähe ein gutes Ergebnis für dich aus?', nextStep: 'Schreib die Fakten so auf, wie du sie siehst, und führe dann ein kurzes Gespräch unter vier Augen, um die andere Seite zu hören, bevor du etwas entscheidest.' },
    },
  },
  pt: {
    opener: 'Obrigado por me contar.',
    reflection: 'Parece uma situação delicada, e é bom que você esteja levando isso a sério.',
    reflectionSensitive: 'É uma situação séria, e é bom que você esteja pensando com calma antes de agir.',
    reflectionFeeling: 'Parece que isso está pesando para você, e faz sentido com tudo o que você está enfrentando.',
    checkIn: 'Antes de tudo: você está bem?',
    danger: 'Isso está acontecendo agora? Você está bem? Se alguém estiver em perigo imediato, ligue primeiro para o número de emergência.',
    guidanceSays: 'Isto é o que dizem as orientações de {tenant} (cito o texto em inglês, como está escrito):',
    notCovered: 'As orientações de {tenant} não cobrem isso, então não vou adivinhar uma regra nem indicar uma política que não responde à sua pergunta. Confirme com {who} antes de agir.',
    acknowledged: 'De nada. Se surgir mais alguma coisa ou quiser preparar o que vai dizer, é só perguntar.',
    yourCompany: 'sua empresa',
    hr: 'o RH',
    questionLabel: 'Uma pergunta para pensar:',
    nextStepLabel: 'Um próximo passo concreto:',
    followUp: {
      opener: 'Vamos continuar a partir daí.',
      questions: ['O que você já tentou, e como foi recebido?', 'Se isso der certo, o que vai estar diferente daqui a um mês?'],
      nextSteps: ['Antes da próxima conversa, anote o que foi combinado da última vez e o que aconteceu desde então, para partir de fatos e não da memória.', 'Combinem uma mudança pequena e específica e uma data para revisarem juntos, e deixe isso por escrito para que vocês dois tenham o mesmo registro.'],
    },
    moves: {
      sensitive: { question: 'Que fatos você tem até agora, e quem mais precisa saber?', nextStep: 'Anote os fatos (o que aconteceu, quando, quem estava presente) e fale com {who} antes de tomar qualquer medida.' },
      safety: { question: 'É seguro essa pessoa continuar agora, e o que seria preciso para que fosse?', nextStep: 'Se alguém não está em condições de trabalhar com segurança, pare a tarefa agora e siga as regras de fadiga ou de segurança; quando todos estiverem seguros, converse em particular sobre o que está por trás e o que ajudaria.' },
      wellbeing: { question: 'Qual é uma coisa que você poderia tirar da sua lista esta semana?', nextStep: 'Escolha uma tarefa para delegar ou pausar esta semana e marque uma conversa curta com a sua própria liderança sobre a carga de trabalho.' },
      swap: { question: 'Como seria uma forma justa de lidar com trocas de turno, para você e para a equipe?', nextStep: 'Tenha esta semana uma conversa curta e reservada com cada pessoa: conte o que você percebeu, pergunte o que está por trás e combinem como as trocas serão aprovadas daqui para a frente.' },
      lateness: { question: 'O que você acha que pode estar por trás disso?', nextStep: 'Tenha uma conversa calma e reservada: cite as datas específicas, pergunte o que está acontecendo e combinem uma expectativa clara e uma data para conversar de novo.' },
      hardNews: { question: 'O que você mais quer que a pessoa leve da conversa?', nextStep: 'Planeje a conversa: diga a decisão na primeira frase, explique os motivos reais e depois deixe espaço para a reação e para falar do que vem a seguir.' },
      conflict: { question: 'Que resultado funcionaria para as duas pessoas?', nextStep: 'Converse com cada pessoa separadamente para ouvir o lado dela e depois reúna as duas em torno de um objetivo comum.' },
      general: { question: 'Como seria um bom resultado para você?', nextStep: 'Anote os fatos como você os vê e tenha uma conversa curta e reservada para ouvir o outro lado antes de decidir qualquer coisa.' },
    },
  },
  it: {
    opener: 'Grazie per avermene parlato.',
    reflection: 'Sembra una situazione delicata, ed è giusto che tu la prenda sul serio.',
    reflectionSensitive: 'È una situazione seria, ed è giusto che tu ci rifletta prima di agire.',
    reflectionFeeling: 'Sembra che la cosa ti stia pesando, ed è comprensibile con tutto quello che stai gestendo.',
    checkIn: 'Prima di tutto: tu stai bene?',
    danger: 'Sta succedendo proprio adesso? Stai bene? Se qualcuno è in pericolo immediato, chiama prima il numero di emergenza.',
    guidanceSays: 'Ecco cosa dicono le linee guida di {tenant} (cito il testo in inglese, così come è scritto):',
    notCovered: 'Le linee guida di {tenant} non coprono questo caso, quindi non indovinerò una regola né ti indicherò una politica che non risponde alla domanda. Verifica con {who} prima di agire.',
    acknowledged: 'Prego. Se c\'è altro o vuoi preparare cosa dire, chiedi pure.',
    yourCompany: 'la tua azienda',
    hr: 'le Risorse Umane',
    questionLabel: 'Una domanda su cui riflettere:',
    nextStepLabel: 'Un passo concreto:',
    followUp: {
      opener: 'Ripartiamo da lì.',
      questions: ['Che cosa hai già provato, e come è stato accolto?', 'Se va bene, che cosa sarà diverso tra un mese?'],
      nextSteps: ['Prima del prossimo colloquio, annota che cosa era stato concordato l’ultima volta e che cosa è successo da allora, così parti dai fatti e non dai ricordi.', 'Concordate un cambiamento piccolo e preciso e una data per rivederlo insieme, e mettetelo per iscritto così avete entrambi la stessa traccia.'],
    },
    moves: {
      sensitive: { question: 'Quali fatti hai finora, e chi altro deve saperlo?', nextStep: 'Scrivi i fatti (cosa è successo, quando, chi c’era) e parlane con {who} prima di prendere qualsiasi provvedimento.' },
      safety: { question: 'È sicuro che continui a lavorare adesso, e cosa servirebbe perché lo sia?', nextStep: 'Se qualcuno non è in condizione di lavorare in sicurezza, ferma subito l’attività e segui le regole su stanchezza e sicurezza; quando tutti sono al sicuro, parlane in privato: cosa c’è dietro e cosa aiuterebbe.' },
      wellbeing: { question: 'Qual è una cosa che potresti toglierti di dosso questa settimana?', nextStep: 'Scegli un compito da delegare o sospendere questa settimana e fissa un breve colloquio con il tuo responsabile sul carico di lavoro.' },
      swap: { question: 'Come sarebbe un modo equo di gestire gli scambi di turno, per te e per la squadra?', nextStep: 'Questa settimana fai un breve colloquio in privato con ciascuno: racconta cosa hai notato, chiedi cosa c’è dietro e concordate come verranno approvati gli scambi da ora in poi.' },
      lateness: { question: 'Secondo te cosa potrebbe esserci dietro?', nextStep: 'Fai un colloquio calmo e in privato: indica le date precise, chiedi cosa sta succedendo e concordate un’aspettativa chiara e una data per riparlarne.' },
      hardNews: { question: 'Che cosa vuoi soprattutto che la persona porti via dal colloquio?', nextStep: 'Prepara il colloquio: comunica la decisione nella prima frase, spiega i motivi reali, poi lascia spazio alla sua reazione e parlate di cosa succede dopo.' },
      conflict: { question: 'Quale risultato andrebbe bene per entrambi?', nextStep: 'Parla con ciascuno separatamente per ascoltare la sua versione, poi riuniscili attorno a un obiettivo comune.' },
      general: { question: 'Come sarebbe un buon risultato per te?', nextStep: 'Scrivi i fatti come li vedi, poi fai un breve colloquio in privato per ascoltare l’altra parte prima di decidere qualsiasi cosa.' },
    },
  },
  pl: {
    opener: 'Dziękuję, że o tym piszesz.',
    reflection: 'To brzmi jak trudna sytuacja i dobrze, że traktujesz ją poważnie.',
    reflectionSensitive: 'To poważna sytuacja i dobrze, że przemyślisz ją, zanim cokolwiek zrobisz.',
    reflectionFeeling: 'Wygląda na to, że to cię obciąża, i to zrozumiałe przy tym wszystkim, z czym się mierzysz.',
    checkIn: 'Zanim cokolwiek innego: czy wszystko u ciebie w porządku?',
    danger: 'Czy to dzieje się teraz? Czy nic ci nie jest? Jeśli ktoś jest w bezpośrednim niebezpieczeństwie, najpierw zadzwoń pod numer alarmowy.',
    guidanceSays: 'Oto co mówią wytyczne {tenant} (cytuję tekst po angielsku, tak jak jest napisany):',
    notCovered: 'Wytyczne {tenant} tego nie obejmują, więc nie będę zgadywać zasady ani odsyłać do polityki, która nie odpowiada na to pytanie. Zanim coś zrobisz, skonsultuj to z {who}.',
    acknowledged: 'Nie ma sprawy. Jeśli pojawi się coś jeszcze albo chcesz przygotować rozmowę, po prostu napisz.',
    yourCompany: 'twojej firmy',
    hr: 'działem HR',
    questionLabel: 'Pytanie do przemyślenia:',
    nextStepLabel: 'Konkretny następny krok:',
    followUp: {
      opener: 'Pójdźmy dalej od tego miejsca.',
      questions: ['Co już próbowałeś i jak to zostało przyjęte?', 'Jeśli to się uda, co będzie inaczej za miesiąc?'],
      nextSteps: ['Przed kolejną rozmową zapisz, co ustaliliście ostatnio i co wydarzyło się od tamtej pory, żeby zacząć od faktów, a nie od wspomnień.', 'Ustalcie jedną małą, konkretną zmianę i termin, kiedy razem do niej wrócicie, i zapiszcie to, żebyście oboje mieli to samo.'],
    },
    moves: {
      sensitive: { question: 'Jakie fakty masz na razie i kto jeszcze powinien o tym wiedzieć?', nextStep: 'Zapisz fakty (co się stało, kiedy, kto był obecny) i porozmawiaj z {who}, zanim podejmiesz jakiekolwiek działania.' },
      safety: { question: 'Czy to bezpieczne, żeby ta osoba pracowała dalej, i czego trzeba, żeby było bezpiecznie?', nextStep: 'Jeśli ktoś nie jest w stanie pracować bezpiecznie, przerwij teraz pracę i postępuj według zasad dotyczących zmęczenia i bezpieczeństwa; gdy wszyscy są bezpieczni, porozmawiaj na osobności o tym, co za tym stoi i co by pomogło.' },
      wellbeing: { question: 'Jaką jedną rzecz możesz w tym tygodniu zdjąć ze swojej listy?', nextStep: 'Wybierz jedno zadanie, które w tym tygodniu przekażesz komuś lub odłożysz, i umów krótką rozmowę ze swoim przełożonym o obciążeniu pracą.' },
      swap: { question: 'Jak wyglądałby sprawiedliwy sposób zamieniania się zmianami, dla ciebie i dla zespołu?', nextStep: 'W tym tygodniu porozmawiaj krótko i na osobności z każdą z tych osób: powiedz, co zauważasz, zapytaj, co za tym stoi, i ustalcie, jak od teraz będą zatwierdzane zamiany.' },
      lateness: { question: 'Jak myślisz, co może za tym stać?', nextStep: 'Przeprowadź spokojną rozmowę na osobności: wymień konkretne daty, zapytaj, co się dzieje, i ustalcie jasne oczekiwanie oraz termin kolejnej rozmowy.' },
      hardNews: { question: 'Co najbardziej chcesz, żeby ta osoba wyniosła z rozmowy?', nextStep: 'Zaplanuj rozmowę: powiedz o decyzji w pierwszym zdaniu, podaj prawdziwe powody, a potem zostaw miejsce na reakcję i porozmawiajcie o tym, co dalej.' },
      conflict: { question: 'Jaki wynik byłby dobry dla obu stron?', nextStep: 'Porozmawiaj z każdą osobą osobno, żeby wysłuchać jej strony, a potem połącz je wokół jednego wspólnego celu.' },
      general: { question: 'Jak wyglądałby dla ciebie dobry wynik?', nextStep: 'Zapisz fakty tak, jak je widzisz, a potem porozmawiaj krótko na osobności, żeby wysłuchać drugiej strony, zanim cokolwiek zdecydujesz.' },
    },
  },
  nl: {
    opener: 'Bedankt dat je dit met me deelt.',
    reflection: 'Dat klinkt als een lastige situatie, en het is goed dat je die serieus neemt.',
    reflectionSensitive: 'Dit is een serieuze situatie, en het is goed dat je er eerst over nadenkt voordat je iets doet.',
    reflectionFeeling: 'Het klinkt alsof dit zwaar op je weegt, en dat is begrijpelijk met alles wat er speelt.',
    checkIn: 'Eerst dit: gaat het goed met je?',
    danger: 'Gebeurt dit op dit moment? Gaat het goed met je? Als iemand in direct gevaar is, bel dan eerst het alarmnummer.',
    guidanceSays: 'Dit zeggen de richtlijnen van {tenant} (ik citeer de Engelse tekst, zoals die geschreven is):',
    notCovered: 'De richtlijnen van {tenant} gaan hier niet over, dus ik ga geen regel raden of je naar een beleid verwijzen dat je vraag niet beantwoordt. Overleg met {who} voordat je iets doet.',
    acknowledged: 'Graag gedaan. Als er nog iets speelt of je wilt voorbereiden wat je gaat zeggen, vraag het gerust.',
    yourCompany: 'je bedrijf',
    hr: 'HR',
    questionLabel: 'Een vraag om over na te denken:',
    nextStepLabel: 'Een concrete volgende stap:',
    followUp: {
      opener: 'Laten we daar verder op bouwen.',
      questions: ['Wat heb je al geprobeerd, en hoe viel dat?', 'Als dit goed gaat, wat is er dan over een maand anders?'],
      nextSteps: ['Schrijf voor het volgende gesprek op wat er de vorige keer is afgesproken en wat er sindsdien is gebeurd, zodat je uitgaat van feiten en niet van je geheugen.', 'Spreek één kleine, concrete verandering af en een datum om er samen naar te kijken, en leg het vast zodat jullie allebei hetzelfde hebben.'],
    },
    moves: {
      sensitive: { question: 'Welke feiten heb je tot nu toe, en wie moet het nog meer weten?', nextStep: 'Schrijf de feiten op (wat er gebeurde, wanneer, wie erbij was) en praat met {who} voordat je actie onderneemt.' },
      safety: { question: 'Is het nu veilig om door te werken, en wat is er nodig om het veilig te maken?', nextStep: 'Als iemand niet veilig kan werken, stop het werk nu en volg de regels voor vermoeidheid en veiligheid; als iedereen veilig is, praat dan onder vier ogen over wat erachter zit en wat zou helpen.' },
      wellbeing: { question: 'Wat is één ding dat je deze week van je bord kunt halen?', nextStep: 'Kies één taak die je deze week overdraagt of parkeert, en plan een kort gesprek met je eigen leidinggevende over de werkdruk.' },
      swap: { question: 'Hoe ziet een eerlijke manier van diensten ruilen eruit, voor jou en voor het team?', nextStep: 'Voer deze week met ieder van hen een kort, persoonlijk gesprek: vertel wat je hebt gemerkt, vraag wat erachter zit, en spreek af hoe ruilen vanaf nu worden goedgekeurd.' },
      lateness: { question: 'Wat denk je dat erachter zou kunnen zitten?', nextStep: 'Voer een rustig, persoonlijk gesprek: noem de concrete data, vraag wat er speelt, en spreek een duidelijke verwachting af en een datum om er weer op terug te komen.' },
      hardNews: { question: 'Wat wil je vooral dat de ander uit het gesprek meeneemt?', nextStep: 'Bereid het gesprek voor: noem het besluit in de eerste zin, geef de echte redenen, laat dan ruimte voor de reactie en bespreek wat er daarna komt.' },
      conflict: { question: 'Welke uitkomst zou voor allebei werken?', nextStep: 'Praat met ieder apart om hun kant te horen, en breng ze daarna samen rond één gedeeld doel.' },
      general: { question: 'Hoe zou een goede uitkomst er voor jou uitzien?', nextStep: 'Schrijf de feiten op zoals jij ze ziet, en voer dan een kort, persoonlijk gesprek om de andere kant te horen voordat je iets beslist.' },
    },
  },
  ro: {
    opener: 'Mulțumesc că mi-ai spus.',
    reflection: 'Pare o situație dificilă și e bine că o iei în serios.',
    reflectionSensitive: 'Este o situație serioasă și e bine că te gândești la ea înainte să acționezi.',
    reflectionFeeling: 'Pare că asta te apasă, și e de înțeles, cu tot ce ai de gestionat.',
    checkIn: 'Înainte de orice: tu ești bine?',
    danger: 'Se întâmplă chiar acum? Ești bine? Dacă cineva este în pericol imediat, sună mai întâi la numărul de urgență.',
    guidanceSays: 'Iată ce spun regulile {tenant} (citez textul în engleză, așa cum este scris):',
    notCovered: 'Regulile {tenant} nu acoperă acest lucru, așa că nu voi ghici o regulă și nu te voi trimite la o politică ce nu răspunde la întrebare. Verifică cu {who} înainte să acționezi.',
    acknowledged: 'Cu plăcere. Dacă mai apare ceva sau vrei să pregătești ce vei spune, întreabă-mă.',
    yourCompany: 'companiei tale',
    hr: 'departamentul de resurse umane',
    questionLabel: 'O întrebare de luat în calcul:',
    nextStepLabel: 'Un pas concret următor:',
    followUp: {
      opener: 'Să continuăm de aici.',
      questions: ['Ce ai încercat deja și cum a fost primit?', 'Dacă lucrurile merg bine, ce va fi diferit peste o lună?'],
      nextSteps: ['Înainte de următoarea discuție, notează ce ați stabilit data trecută și ce s-a întâmplat de atunci, ca să pornești de la fapte, nu din memorie.', 'Stabiliți o schimbare mică și concretă și o dată la care să vă uitați împreună la ea, și notați-o ca să aveți amândoi aceeași evidență.'],
    },
    moves: {
      sensitive: { question: 'Ce fapte ai până acum și cine altcineva trebuie să știe?', nextStep: 'Notează faptele (ce s-a întâmplat, când, cine era de față) și vorbește cu {who} înainte de a lua orice măsură.' },
      safety: { question: 'Este sigur să continue acum și ce ar trebui schimbat ca să fie?', nextStep: 'Dacă cineva nu poate lucra în siguranță, oprește sarcina acum și urmează regulile despre oboseală și siguranță; după ce toată lumea e în siguranță, vorbiți între patru ochi despre ce se află în spate și ce ar ajuta.' },
      wellbeing: { question: 'Care este un lucru pe care l-ai putea lăsa deoparte săptămâna aceasta?', nextStep: 'Alege o sarcină pe care s-o delegi sau s-o amâni săptămâna aceasta și programează o discuție scurtă cu propriul tău manager despre volumul de muncă.' },
      swap: { question: 'Cum ar arăta un mod corect de a gestiona schimburile de ture, pentru tine și pentru echipă?', nextStep: 'Săptămâna aceasta, ai o discuție scurtă, între patru ochi, cu fiecare persoană: spune ce ai observat, întreabă ce se află în spate și stabiliți cum se aprobă schimburile de acum înainte.' },
      lateness: { question: 'Ce crezi că ar putea fi în spatele acestui lucru?', nextStep: 'Ai o discuție calmă, între patru ochi: numește datele concrete, întreabă ce se întâmplă și stabiliți o așteptare clară și o dată la care reveniți.' },
      hardNews: { question: 'Ce vrei cel mai mult ca persoana să rețină din discuție?', nextStep: 'Pregătește discuția: spune decizia din prima frază, dă motivele reale, apoi lasă loc pentru reacție și vorbiți despre ce urmează.' },
      conflict: { question: 'Ce rezultat ar funcționa pentru amândoi?', nextStep: 'Vorbește cu fiecare separat ca să auzi varianta lui, apoi adu-i împreună în jurul unui obiectiv comun.' },
      general: { question: 'Cum ar arăta un rezultat bun pentru tine?', nextStep: 'Notează faptele așa cum le vezi, apoi ai o discuție scurtă, între patru ochi, ca să auzi și cealaltă parte înainte să decizi ceva.' },
    },
  },
  uk: {
    opener: 'Дякую, що розповіли.',
    reflection: 'Схоже, ситуація непроста, і добре, що ви ставитеся до неї серйозно.',
    reflectionSensitive: 'Це серйозна ситуація, і добре, що ви обмірковуєте її, перш ніж діяти.',
    reflectionFeeling: 'Схоже, вас це пригнічує, і це зрозуміло з огляду на все, з чим ви маєте справу.',
    checkIn: 'Перш за все: з вами все гаразд?',
    danger: 'Це відбувається просто зараз? З вами все гаразд? Якщо комусь загрожує безпосередня небезпека, спершу зателефонуйте на номер екстреної допомоги.',
    guidanceSays: 'Ось що кажуть правила {tenant} (цитую англійський текст, як він написаний):',
    notCovered: 'Правила {tenant} цього не охоплюють, тож я не вгадуватиму правило й не відсилатиму вас до політики, яка не відповідає на запитання. Перш ніж діяти, уточніть у {who}.',
    acknowledged: 'Будь ласка. Якщо виникне ще щось або захочете підготувати розмову, просто напишіть.',
    yourCompany: 'вашої компанії',
    hr: 'відділу кадрів',
    questionLabel: 'Запитання для роздумів:',
    nextStepLabel: 'Конкретний наступний крок:',
    followUp: {
      opener: 'Продовжимо з цього місця.',
      questions: ['Що ви вже пробували і як це сприйняли?', 'Якщо все вийде, що зміниться за місяць?'],
      nextSteps: ['Перед наступною розмовою запишіть, про що домовилися минулого разу і що сталося відтоді, щоб спиратися на факти, а не на пам’ять.', 'Домовтеся про одну невелику конкретну зміну та дату, коли разом до неї повернетеся, і запишіть це, щоб у вас обох був однаковий запис.'],
    },
    moves: {
      sensitive: { question: 'Які факти у вас уже є і хто ще має про це знати?', nextStep: 'Запишіть факти (що сталося, коли, хто був поруч) і поговоріть з {who}, перш ніж щось робити.' },
      safety: { question: 'Чи безпечно цій людині працювати далі просто зараз, і що потрібно, щоб стало безпечно?', nextStep: 'Якщо хтось не може працювати безпечно, зупиніть роботу зараз і дійте за правилами щодо втоми та безпеки; коли всі в безпеці, поговоріть наодинці про те, що за цим стоїть і що допомогло б.' },
      wellbeing: { question: 'Що одне ви могли б цього тижня зняти зі своїх плечей?', nextStep: 'Виберіть одне завдання, яке цього тижня передасте комусь або відкладете, і домовтеся про коротку розмову зі своїм керівником про навантаження.' },
      swap: { question: 'Яким був би справедливий спосіб обміну змінами — для вас і для команди?', nextStep: 'Цього тижня коротко й наодинці поговоріть з кожним: скажіть, що помітили, запитайте, що за цим стоїть, і домовтеся, як відтепер погоджуватимуться обміни.' },
      lateness: { question: 'Як ви думаєте, що може за цим стояти?', nextStep: 'Проведіть спокійну розмову наодинці: назвіть конкретні дати, запитайте, що відбувається, і домовтеся про чітке очікування та дату, коли повернетеся до цього.' },
      hardNews: { question: 'Що найбільше ви хочете, щоб людина винесла з розмови?', nextStep: 'Сплануйте розмову: скажіть про рішення в першому реченні, назвіть справжні причини, а потім дайте місце для реакції й поговоріть про те, що буде далі.' },
      conflict: { question: 'Який результат підійшов би обом?', nextStep: 'Поговоріть з кожним окремо, щоб почути його бік, а потім об’єднайте їх навколо однієї спільної мети.' },
      general: { question: 'Яким був би для вас добрий результат?', nextStep: 'Запишіть факти так, як ви їх бачите, а потім коротко поговоріть наодинці, щоб почути іншу сторону, перш ніж щось вирішувати.' },
    },
  },
  tl: {
    opener: 'Salamat sa pagbabahagi nito sa akin.',
    reflection: 'Mukhang mahirap na sitwasyon ito, at mabuti na sineseryoso mo ito.',
    reflectionSensitive: 'Seryosong sitwasyon ito, at mabuti na pinag-iisipan mo muna bago kumilos.',
    reflectionFeeling: 'Mukhang mabigat ito para sa iyo, at naiintindihan iyon sa dami ng hinaharap mo.',
    checkIn: 'Bago ang lahat: okay ka lang ba?',
    danger: 'Nangyayari ba ito ngayon mismo? Okay ka lang ba? Kung may nasa agarang panganib, tawagan muna ang emergency number.',
    guidanceSays: 'Ito ang sinasabi ng patakaran ng {tenant} (sinisipi ko ang tekstong Ingles, kung paano ito nakasulat):',
    notCovered: 'Hindi saklaw ng patakaran ng {tenant} ang tanong na ito, kaya hindi ako manghuhula ng patakaran o magtuturo ng polisiyang hindi sumasagot dito. Kumonsulta muna sa {who} bago kumilos.',
    acknowledged: 'Walang anuman. Kung may iba pang lumitaw o gusto mong paghandaan ang sasabihin mo, magtanong ka lang.',
    yourCompany: 'inyong kumpanya',
    hr: 'HR',
    questionLabel: 'Isang tanong na pag-isipan:',
    nextStepLabel: 'Isang konkretong susunod na hakbang:',
    followUp: {
      opener: 'Ituloy natin mula riyan.',
      questions: ['Ano na ang nasubukan mo, at paano ito tinanggap?', 'Kung maging maayos ito, ano ang magiging iba pagkalipas ng isang buwan?'],
      nextSteps: ['Bago ang susunod na usapan, isulat kung ano ang napagkasunduan noong huli at kung ano ang nangyari mula noon, para magsimula ka sa mga katotohanan at hindi sa alaala.', 'Magkasundo sa isang maliit at tiyak na pagbabago at sa petsa para tingnan ito nang magkasama, at isulat ito para pareho kayo ng hawak na tala.'],
    },
    moves: {
      sensitive: { question: 'Anong mga katotohanan ang hawak mo na, at sino pa ang kailangang makaalam?', nextStep: 'Isulat ang mga nangyari (ano, kailan, sino ang naroon) at makipag-usap sa {who} bago ka gumawa ng anumang hakbang.' },
      safety: { question: 'Ligtas ba na magpatuloy siya ngayon, at ano ang kailangan para maging ligtas?', nextStep: 'Kung may hindi kayang magtrabaho nang ligtas, itigil muna ang gawain ngayon at sundin ang mga patakaran sa pagod at kaligtasan; kapag ligtas na ang lahat, kausapin siya nang pribado kung ano ang dahilan at ano ang makakatulong.' },
      wellbeing: { question: 'Ano ang isang bagay na puwede mong bitawan muna ngayong linggo?', nextStep: 'Pumili ng isang gawain na ipapasa o ipagpapaliban mo ngayong linggo, at mag-iskedyul ng maikling usapan sa sarili mong manager tungkol sa dami ng trabaho.' },
      swap: { question: 'Ano ang patas na paraan ng pagpapalit ng shift, para sa iyo at sa team?', nextStep: 'Ngayong linggo, kausapin nang maikli at pribado ang bawat isa: sabihin ang napansin mo, itanong kung ano ang dahilan, at magkasundo kung paano aaprubahan ang palitan mula ngayon.' },
      lateness: { question: 'Ano sa tingin mo ang maaaring dahilan nito?', nextStep: 'Magkaroon ng kalmado at pribadong usapan: banggitin ang mga tiyak na petsa, itanong kung ano ang nangyayari, at magkasundo sa malinaw na inaasahan at sa petsa ng susunod na pag-uusap.' },
      hardNews: { question: 'Ano ang pinakagusto mong maiuwi nila mula sa usapan?', nextStep: 'Ihanda ang usapan: sabihin ang desisyon sa unang pangungusap, ibigay ang tunay na mga dahilan, saka bigyan ng puwang ang kanilang reaksyon at pag-usapan ang susunod para sa kanila.' },
      conflict: { question: 'Anong resulta ang uubra para sa kanilang dalawa?', nextStep: 'Kausapin nang hiwalay ang bawat isa para marinig ang panig nila, saka pagsamahin sila sa iisang layunin.' },
      general: { question: 'Ano ang magandang resulta para sa iyo?', nextStep: 'Isulat ang mga nangyari ayon sa nakikita mo, saka makipag-usap nang maikli at pribado para marinig ang kabilang panig bago ka magpasya.' },
    },
  },
  vi: {
    opener: 'Cảm ơn bạn đã chia sẻ điều này.',
    reflection: 'Nghe có vẻ là một tình huống khó, và thật tốt khi bạn xem xét nó nghiêm túc.',
    reflectionSensitive: 'Đây là một tình huống nghiêm trọng, và thật tốt khi bạn suy nghĩ kỹ trước khi hành động.',
    reflectionFeeling: 'Có vẻ chuyện này đang đè nặng lên bạn, và điều đó dễ hiểu với tất cả những gì bạn đang phải lo.',
    checkIn: 'Trước hết: bạn có ổn không?',
    danger: 'Chuyện này có đang xảy ra ngay lúc này không? Bạn có ổn không? Nếu có ai đang gặp nguy hiểm ngay lập tức, hãy gọi số khẩn cấp trước.',
    guidanceSays: 'Đây là những gì hướng dẫn của {tenant} nói (tôi trích nguyên văn tiếng Anh):',
    notCovered: 'Hướng dẫn của {tenant} không đề cập đến vấn đề này, nên tôi sẽ không đoán một quy định hay chỉ bạn đến một chính sách không trả lời câu hỏi. Hãy hỏi {who} trước khi hành động.',
    acknowledged: 'Không có gì. Nếu có việc gì khác hoặc bạn muốn chuẩn bị điều sẽ nói, cứ hỏi nhé.',
    yourCompany: 'công ty bạn',
    hr: 'bộ phận nhân sự',
    questionLabel: 'Một câu hỏi để cân nhắc:',
    nextStepLabel: 'Một bước tiếp theo cụ thể:',
    followUp: {
      opener: 'Chúng ta tiếp tục từ đó nhé.',
      questions: ['Bạn đã thử những gì rồi, và kết quả thế nào?', 'Nếu mọi việc suôn sẻ, một tháng nữa điều gì sẽ khác đi?'],
      nextSteps: ['Trước cuộc trò chuyện tiếp theo, hãy ghi lại những gì đã thống nhất lần trước và những gì đã xảy ra từ đó, để bắt đầu từ sự việc chứ không phải từ trí nhớ.', 'Hãy thống nhất một thay đổi nhỏ, cụ thể và một ngày để cùng xem lại, rồi ghi lại để cả hai có cùng một bản ghi.'],
    },
    moves: {
      sensitive: { question: 'Bạn đã có những sự việc nào, và ai khác cần được biết?', nextStep: 'Ghi lại sự việc (chuyện gì xảy ra, khi nào, ai có mặt) và trao đổi với {who} trước khi làm bất cứ điều gì.' },
      safety: { question: 'Người đó tiếp tục làm việc lúc này có an toàn không, và cần gì để an toàn?', nextStep: 'Nếu ai đó không đủ sức làm việc an toàn, hãy dừng công việc ngay và làm theo quy định về mệt mỏi và an toàn; khi mọi người đã an toàn, hãy nói chuyện riêng về nguyên nhân và điều gì sẽ giúp ích.' },
      wellbeing: { question: 'Có một việc nào bạn có thể bỏ bớt trong tuần này không?', nextStep: 'Chọn một việc để giao lại hoặc tạm dừng trong tuần này, và hẹn một cuộc trò chuyện ngắn với quản lý của bạn về khối lượng công việc.' },
      swap: { question: 'Một cách xử lý đổi ca công bằng sẽ như thế nào, cho bạn và cho cả nhóm?', nextStep: 'Trong tuần này, hãy nói chuyện ngắn và riêng với từng người: chia sẻ điều bạn nhận thấy, hỏi lý do phía sau, và thống nhất cách duyệt đổi ca từ nay về sau.' },
      lateness: { question: 'Bạn nghĩ điều gì có thể là nguyên nhân?', nextStep: 'Hãy có một cuộc trò chuyện riêng, bình tĩnh: nêu các ngày cụ thể, hỏi chuyện gì đang xảy ra, và thống nhất một kỳ vọng rõ ràng cùng ngày trao đổi lại.' },
      hardNews: { question: 'Điều bạn muốn họ nhớ nhất sau cuộc trò chuyện là gì?', nextStep: 'Chuẩn bị cuộc trò chuyện: nói quyết định ngay câu đầu, đưa ra lý do thật, rồi dành chỗ cho phản ứng của họ và nói về bước tiếp theo cho họ.' },
      conflict: { question: 'Kết quả nào sẽ phù hợp với cả hai người?', nextStep: 'Nói chuyện riêng với từng người để nghe ý kiến của họ, rồi đưa họ lại với nhau quanh một mục tiêu chung.' },
      general: { question: 'Một kết quả tốt với bạn sẽ như thế nào?', nextStep: 'Ghi lại sự việc theo cách bạn thấy, rồi nói chuyện ngắn và riêng để nghe phía bên kia trước khi quyết định điều gì.' },
    },
  },
  ar: {
    opener: 'شكرًا لأنك أخبرتني بهذا.',
    reflection: 'يبدو أنه موقف صعب، ومن الجيد أنك تأخذه على محمل الجد.',
    reflectionSensitive: 'هذا موقف جاد، ومن الجيد أنك تفكر فيه جيدًا قبل أن تتصرف.',
    reflectionFeeling: 'يبدو أن هذا يثقل عليك، وهذا مفهوم مع كل ما تتعامل معه.',
    checkIn: 'قبل أي شيء: هل أنت بخير؟',
    danger: 'هل يحدث هذا الآن؟ هل أنت بخير؟ إذا كان أي شخص في خطر مباشر، فاتصل أولًا برقم الطوارئ.',
    guidanceSays: 'هذا ما تقوله إرشادات {tenant} (أقتبس النص الإنجليزي كما هو مكتوب):',
    notCovered: 'إرشادات {tenant} لا تتناول هذا الأمر، لذلك لن أخمّن قاعدة ولن أحيلك إلى سياسة لا تجيب عن سؤالك. يُرجى مراجعة {who} قبل أن تتصرف.',
    acknowledged: 'على الرحب والسعة. إذا طرأ شيء آخر أو أردت التحضير لما ستقوله، فاسألني.',
    yourCompany: 'شركتك',
    hr: 'الموارد البشرية',
    questionLabel: 'سؤال للتفكير:',
    nextStepLabel: 'خطوة تالية محددة:',
    followUp: {
      opener: 'لنكمل من هنا.',
      questions: ['ما الذي جربته حتى الآن، وكيف كان وقعه؟', 'إذا سارت الأمور على ما يرام، ما الذي سيكون مختلفًا بعد شهر؟'],
      nextSteps: ['قبل الحديث القادم، دوّن ما اتفقتما عليه في المرة الماضية وما حدث منذ ذلك الحين، لتبدأ من الوقائع لا من الذاكرة.', 'اتفقا على تغيير صغير ومحدد وعلى موعد لمراجعته معًا، واكتباه حتى يكون لديكما السجل نفسه.'],
    },
    moves: {
      sensitive: { question: 'ما الوقائع التي لديك حتى الآن، ومن يجب أن يعرف أيضًا؟', nextStep: 'دوّن الوقائع (ماذا حدث، ومتى، ومن كان حاضرًا) وتحدث مع {who} قبل اتخاذ أي إجراء.' },
      safety: { question: 'هل من الآمن أن يواصل العمل الآن، وما الذي يلزم ليكون آمنًا؟', nextStep: 'إذا لم يكن أحد قادرًا على العمل بأمان، أوقف المهمة الآن واتبع قواعد الإرهاق والسلامة؛ وعندما يكون الجميع بأمان، تحدّث معه على انفراد عمّا وراء ذلك وما الذي قد يساعد.' },
      wellbeing: { question: 'ما الشيء الواحد الذي يمكنك أن تخففه عن نفسك هذا الأسبوع؟', nextStep: 'اختر مهمة واحدة تسلّمها لغيرك أو تؤجلها هذا الأسبوع، واحجز حديثًا قصيرًا مع مديرك عن عبء العمل.' },
      swap: { question: 'كيف تبدو طريقة عادلة لتبديل المناوبات، لك وللفريق؟', nextStep: 'تحدث هذا الأسبوع حديثًا قصيرًا وعلى انفراد مع كل واحد منهم: شارك ما لاحظته، واسأل عن السبب، واتفقوا على طريقة اعتماد التبديلات من الآن فصاعدًا.' },
      lateness: { question: 'ما الذي تظن أنه قد يكون وراء ذلك؟', nextStep: 'أجرِ حديثًا هادئًا وعلى انفراد: اذكر التواريخ المحددة، واسأل عما يحدث، واتفقا على توقع واضح وموعد للمتابعة.' },
      hardNews: { question: 'ما أهم ما تريده أن يخرج به من الحديث؟', nextStep: 'خطط للحديث: قل القرار في الجملة الأولى، واذكر الأسباب الحقيقية، ثم اترك مساحة لردة فعله وتحدثا عما سيأتي بعد ذلك.' },
      conflict: { question: 'ما النتيجة التي تناسب الطرفين؟', nextStep: 'تحدث مع كل شخص على حدة لتسمع وجهة نظره، ثم اجمعهما حول هدف مشترك واحد.' },
      general: { question: 'كيف تبدو النتيجة الجيدة بالنسبة لك؟', nextStep: 'دوّن الوقائع كما تراها، ثم أجرِ حديثًا قصيرًا على انفراد لتسمع الطرف الآخر قبل أن تقرر أي شيء.' },
    },
  },
  zh: {
    opener: '谢谢你告诉我这件事。',
    reflection: '这听起来是个棘手的情况，你认真对待它是对的。',
    reflectionSensitive: '这是一个严肃的情况，在行动之前先想清楚是对的。',
    reflectionFeeling: '听起来这件事让你压力不小，考虑到你正在面对的一切，这很正常。',
    checkIn: '首先：你还好吗？',
    danger: '这件事正在发生吗？你还好吗？如果有人正处于紧急危险中，请先拨打紧急电话。',
    guidanceSays: '以下是{tenant}的指引（我按原文引用英文）：',
    notCovered: '{tenant}的指引没有涉及这个问题，所以我不会猜测规定，也不会把你引向一条并不回答这个问题的政策。行动之前请先和{who}确认。',
    acknowledged: '不客气。如果还有其他情况，或者想准备一下要说的话，随时问我。',
    yourCompany: '你们公司',
    hr: '人力资源部',
    questionLabel: '一个值得思考的问题：',
    nextStepLabel: '一个具体的下一步：',
    followUp: {
      opener: '我们接着往下谈。',
      questions: ['你已经试过哪些做法？效果怎么样？', '如果这件事进展顺利，一个月后会有什么不同？'],
      nextSteps: ['在下一次谈话之前，记下上次约定了什么、之后发生了什么，这样你是从事实出发，而不是凭记忆。', '约定一个小而具体的改变，以及一起回顾它的日期，并把它写下来，让你们双方都有同一份记录。'],
    },
    moves: {
      sensitive: { question: '你目前掌握了哪些事实？还有谁需要知道？', nextStep: '把事实记下来（发生了什么、什么时候、谁在场），在采取任何行动之前先和{who}谈一谈。' },
      safety: { question: '现在让他继续工作安全吗？要怎样才能安全？', nextStep: '如果有人无法安全工作，请立即停止这项工作，并按照疲劳和安全规定处理；等大家都安全后，再私下谈谈背后的原因以及什么会有帮助。' },
      wellbeing: { question: '这周有哪一件事可以先放下？', nextStep: '这周挑一项任务交给别人或先暂停，并和你自己的上级约一次简短的谈话，聊聊工作量。' },
      swap: { question: '对你和团队来说，怎样处理换班才算公平？', nextStep: '这周分别和每个人做一次简短的私下谈话：说说你注意到的情况，问问背后的原因，并约定今后换班如何审批。' },
      lateness: { question: '你觉得背后可能是什么原因？', nextStep: '进行一次平静的私下谈话：说出具体的日期，问问发生了什么，约定一个明确的期望和下一次跟进的日期。' },
      hardNews: { question: '你最希望对方从这次谈话中记住什么？', nextStep: '提前规划这次谈话：第一句话就说出决定，给出真实的理由，然后留出空间让对方回应，再谈谈接下来的安排。' },
      conflict: { question: '什么样的结果对双方都可行？', nextStep: '先分别和每个人谈，听听各自的说法，再让他们围绕一个共同目标坐到一起。' },
      general: { question: '对你来说，好的结果是什么样的？', nextStep: '把你看到的事实记下来，然后做一次简短的私下谈话，先听听另一方的说法，再做决定。' },
    },
  },
  hi: {
    opener: 'यह बताने के लिए धन्यवाद।',
    reflection: 'यह एक मुश्किल स्थिति लगती है, और अच्छा है कि आप इसे गंभीरता से ले रहे हैं।',
    reflectionSensitive: 'यह एक गंभीर स्थिति है, और अच्छा है कि आप कुछ करने से पहले इस पर सोच रहे हैं।',
    reflectionFeeling: 'लगता है यह बात आप पर भारी पड़ रही है, और आप जिन चीज़ों से जूझ रहे हैं, उन्हें देखते हुए यह स्वाभाविक है।',
    checkIn: 'सबसे पहले: क्या आप ठीक हैं?',
    danger: 'क्या यह अभी हो रहा है? क्या आप ठीक हैं? अगर कोई तुरंत ख़तरे में है, तो पहले आपातकालीन नंबर पर कॉल करें।',
    guidanceSays: '{tenant} के दिशानिर्देश यह कहते हैं (मैं अंग्रेज़ी पाठ जैसा लिखा है वैसा ही उद्धृत कर रहा हूँ):',
    notCovered: '{tenant} के दिशानिर्देशों में यह विषय शामिल नहीं है, इसलिए मैं कोई नियम अनुमान से नहीं बताऊँगा और न ही किसी ऐसी नीति की ओर इशारा करूँगा जो इसका जवाब नहीं देती। कुछ करने से पहले {who} से पुष्टि कर लें।',
    acknowledged: 'आपका स्वागत है। अगर कुछ और सामने आए या आप अपनी बात की तैयारी करना चाहें, तो बस पूछिए।',
    yourCompany: 'आपकी कंपनी',
    hr: 'एचआर',
    questionLabel: 'सोचने के लिए एक सवाल:',
    nextStepLabel: 'एक ठोस अगला कदम:',
    followUp: {
      opener: 'आइए, यहीं से आगे बढ़ते हैं।',
      questions: ['आप अब तक क्या आज़मा चुके हैं, और उसका असर कैसा रहा?', 'अगर यह ठीक रहा, तो एक महीने बाद क्या अलग होगा?'],
      nextSteps: ['अगली बातचीत से पहले लिख लें कि पिछली बार क्या तय हुआ था और तब से क्या हुआ है, ताकि आप याद के बजाय तथ्यों से शुरू करें।', 'एक छोटा, ठोस बदलाव और उसे साथ मिलकर देखने की तारीख़ तय करें, और उसे लिख लें ताकि आप दोनों के पास एक ही रिकॉर्ड हो।'],
    },
    moves: {
      sensitive: { question: 'अब तक आपके पास कौन-से तथ्य हैं, और किसे और जानने की ज़रूरत है?', nextStep: 'तथ्य लिख लें (क्या हुआ, कब, कौन मौजूद था) और कोई भी कदम उठाने से पहले {who} से बात करें।' },
      safety: { question: 'क्या अभी उनका काम जारी रखना सुरक्षित है, और इसे सुरक्षित बनाने के लिए क्या चाहिए?', nextStep: 'अगर कोई सुरक्षित रूप से काम करने की हालत में नहीं है, तो अभी काम रोकें और थकान व सुरक्षा के नियमों का पालन करें; जब सब सुरक्षित हों, तो अकेले में बात करें कि इसके पीछे क्या है और क्या मदद करेगा।' },
      wellbeing: { question: 'इस हफ़्ते आप अपने काम में से कौन-सी एक चीज़ कम कर सकते हैं?', nextStep: 'इस हफ़्ते एक काम चुनें जिसे आप किसी और को सौंपें या रोक दें, और काम के बोझ पर अपने मैनेजर के साथ एक छोटी बातचीत तय करें।' },
      swap: { question: 'आपके और टीम के लिए शिफ़्ट बदलने का एक निष्पक्ष तरीका कैसा होगा?', nextStep: 'इस हफ़्ते हर व्यक्ति से छोटी, निजी बातचीत करें: जो आपने देखा वह बताएँ, पूछें कि इसके पीछे क्या है, और तय करें कि अब से बदलाव कैसे मंज़ूर होंगे।' },
      lateness: { question: 'आपको क्या लगता है, इसके पीछे क्या वजह हो सकती है?', nextStep: 'एक शांत, निजी बातचीत करें: ठीक-ठीक तारीखें बताएँ, पूछें कि क्या चल रहा है, और एक साफ़ उम्मीद और दोबारा बात करने की तारीख़ तय करें।' },
      hardNews: { question: 'आप सबसे ज़्यादा क्या चाहते हैं कि वे इस बातचीत से याद रखें?', nextStep: 'बातचीत की तैयारी करें: पहले वाक्य में फ़ैसला बताएँ, असली कारण दें, फिर उनकी प्रतिक्रिया के लिए जगह छोड़ें और आगे क्या होगा इस पर बात करें।' },
      conflict: { question: 'कौन-सा नतीजा दोनों के लिए ठीक रहेगा?', nextStep: 'हर व्यक्ति से अलग-अलग बात करके उनका पक्ष सुनें, फिर दोनों को एक साझा लक्ष्य के आसपास साथ लाएँ।' },
      general: { question: 'आपके लिए एक अच्छा नतीजा कैसा होगा?', nextStep: 'तथ्य जैसे आप देखते हैं वैसे लिख लें, फिर कुछ तय करने से पहले दूसरे पक्ष को सुनने के लिए एक छोटी, निजी बातचीत करें।' },
    },
  },
};

// French sets a space before ? ! : ; — a narrow no-break one, which the reply's tidying (one ASCII space, none
// before punctuation) leaves alone.
OFFLINE_COACH_TEXT.fr = frenchSpacing(OFFLINE_COACH_TEXT.fr!);

function frenchSpacing<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/ ([?!:;])/g, '\u202F$1') as T;
  if (Array.isArray(value)) return value.map(frenchSpacing) as T;
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, frenchSpacing(v)])) as T;
}

/** The offline coach's words for a language, or null for English (and any language without them). */
export function offlineCoachText(language: string | null): OfflineCoachText | null {
  if (!language || language === 'en') return null;
  return OFFLINE_COACH_TEXT[language as LanguageCode] ?? null;
}
