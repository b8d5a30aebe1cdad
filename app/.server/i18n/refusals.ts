// The fixed refusals in the person's language (ADR 022): the check-in that answers a request for
// how to hurt someone (ADR 009) and the short refusal of an attempt to override or unlock the
// coach. Deterministic, no model call; English is the fallback for any language missing here.
import type { LanguageCode } from '~/lib/i18n';

/** Four paragraphs: no methods; the person matters; danger → emergency number; work is what we can do. */
export const HARM_REFUSALS: Record<LanguageCode, readonly string[]> = {
  en: [
    'I can’t help with ways to hurt anyone — a person, a child, an animal — or to damage a place, and I won’t give methods.',
    'If you’re feeling this angry, scared or cornered, that matters, and you don’t have to carry it alone: talking to someone you trust, your doctor or your employee assistance line can help, and so can taking a step away from the situation for now.',
    'If anyone is in danger right now — including you — please call your local emergency number.',
    'If something at work is behind this, tell me what’s been happening and we can work out a safe next step together.',
  ],
  es: [
    'No puedo ayudar a hacer daño a nadie —una persona, un niño, un animal— ni a dañar un lugar, y no voy a dar métodos.',
    'Si te sientes así de enfadado, asustado o acorralado, eso importa y no tienes por qué cargarlo solo: hablar con alguien de confianza, con tu médico o con el programa de ayuda al empleado puede ayudar, y también alejarte un momento de la situación.',
    'Si alguien está en peligro ahora mismo —también tú—, llama al número de emergencias de tu zona.',
    'Si hay algo del trabajo detrás de esto, cuéntame qué ha pasado y buscamos juntos un siguiente paso seguro.',
  ],
  fr: [
    'Je ne peux pas aider à faire du mal à qui que ce soit — une personne, un enfant, un animal — ni à endommager un lieu, et je ne donnerai pas de méthode.',
    'Si tu te sens à ce point en colère, effrayé ou acculé, c’est important et tu n’as pas à le porter seul : en parler à quelqu’un de confiance, à ton médecin ou au service d’aide aux salariés peut aider, tout comme prendre un peu de distance avec la situation.',
    'Si quelqu’un est en danger en ce moment — toi compris —, appelle le numéro d’urgence local.',
    'Si quelque chose au travail est derrière tout ça, raconte-moi ce qui se passe et cherchons ensemble une prochaine étape sûre.',
  ],
  de: [
    'Ich kann nicht dabei helfen, jemandem zu schaden — einem Menschen, einem Kind, einem Tier — oder einen Ort zu beschädigen, und ich nenne keine Methoden.',
    'Wenn du so wütend, verängstigt oder in die Ecke gedrängt bist, ist das wichtig, und du musst es nicht allein tragen: Ein Gespräch mit jemandem, dem du vertraust, mit deiner Hausärztin oder dem Mitarbeiter-Beratungsangebot kann helfen – und auch, erst einmal Abstand von der Situation zu nehmen.',
    'Wenn gerade jemand in Gefahr ist – auch du selbst –, ruf bitte den Notruf an.',
    'Wenn etwas bei der Arbeit dahintersteckt, erzähl mir, was passiert ist, dann finden wir gemeinsam einen sicheren nächsten Schritt.',
  ],
  pt: [
    'Não posso ajudar a fazer mal a ninguém — uma pessoa, uma criança, um animal — nem a danificar um lugar, e não vou dar métodos.',
    'Se você está se sentindo com tanta raiva, medo ou encurralado, isso importa e você não precisa carregar isso sozinho: conversar com alguém de confiança, com seu médico ou com o programa de apoio ao empregado pode ajudar, assim como se afastar um pouco da situação agora.',
    'Se alguém está em perigo agora — inclusive você —, ligue para o número de emergência local.',
    'Se há algo do trabalho por trás disso, me conte o que está acontecendo e vamos pensar juntos num próximo passo seguro.',
  ],
  it: [
    'Non posso aiutare a fare del male a nessuno — una persona, un bambino, un animale — né a danneggiare un luogo, e non darò metodi.',
    'Se ti senti così arrabbiato, spaventato o messo all’angolo, è importante e non devi portarlo da solo: parlarne con una persona di fiducia, con il tuo medico o con il servizio di assistenza ai dipendenti può aiutare, e anche allontanarti un momento dalla situazione.',
    'Se qualcuno è in pericolo adesso — anche tu —, chiama il numero di emergenza locale.',
    'Se dietro c’è qualcosa al lavoro, raccontami cosa sta succedendo e troviamo insieme un prossimo passo sicuro.',
  ],
  pl: [
    'Nie mogę pomóc nikogo skrzywdzić — człowieka, dziecka, zwierzęcia — ani zniszczyć miejsca i nie podam żadnych metod.',
    'Jeśli czujesz aż taką złość, strach albo że jesteś w potrzasku, to ważne i nie musisz dźwigać tego sam: rozmowa z kimś zaufanym, z lekarzem albo z programem wsparcia pracowników może pomóc, podobnie jak chwilowe odsunięcie się od sytuacji.',
    'Jeśli ktoś jest teraz w niebezpieczeństwie — także ty — zadzwoń na lokalny numer alarmowy.',
    'Jeśli stoi za tym coś w pracy, opowiedz mi, co się dzieje, a razem znajdziemy bezpieczny następny krok.',
  ],
  nl: [
    'Ik kan niet helpen om iemand pijn te doen — een persoon, een kind, een dier — of een plek te beschadigen, en ik geef geen methodes.',
    'Als je je zo boos, bang of in het nauw gedreven voelt, dan doet dat ertoe en hoef je het niet alleen te dragen: praten met iemand die je vertrouwt, je huisarts of de bedrijfsmaatschappelijk werker kan helpen, en ook even afstand nemen van de situatie.',
    'Is er nu iemand in gevaar — jij ook — bel dan het lokale alarmnummer.',
    'Zit er iets op het werk achter, vertel me wat er speelt, dan zoeken we samen een veilige volgende stap.',
  ],
  ro: [
    'Nu pot ajuta la a face rău cuiva — unui om, unui copil, unui animal — sau la a distruge un loc și nu voi da metode.',
    'Dacă te simți atât de furios, speriat sau încolțit, asta contează și nu trebuie să duci totul singur: o discuție cu cineva de încredere, cu medicul tău sau cu programul de sprijin pentru angajați poate ajuta, la fel și să te îndepărtezi puțin de situație.',
    'Dacă cineva este în pericol chiar acum — inclusiv tu —, sună la numărul local de urgență.',
    'Dacă în spatele acestui lucru e ceva de la muncă, spune-mi ce se întâmplă și găsim împreună un următor pas sigur.',
  ],
  uk: [
    'Я не можу допомогти нікому зашкодити — людині, дитині, тварині — чи пошкодити місце, і не даватиму способів.',
    'Якщо ви відчуваєте стільки злості, страху чи безвиході, це важливо, і не треба нести це самотужки: розмова з кимось, кому ви довіряєте, з лікарем чи службою підтримки працівників може допомогти, як і крок убік від ситуації зараз.',
    'Якщо хтось зараз у небезпеці — зокрема ви, — зателефонуйте на місцевий номер екстреної допомоги.',
    'Якщо за цим стоїть щось на роботі, розкажіть, що відбувається, і ми разом знайдемо безпечний наступний крок.',
  ],
  tl: [
    'Hindi ako makakatulong sa pananakit ng kahit sino — tao, bata, hayop — o sa pagsira ng isang lugar, at hindi ako magbibigay ng paraan.',
    'Kung ganito kalaki ang galit, takot o pakiramdam mong naiipit ka, mahalaga iyon at hindi mo kailangang pasanin nang mag-isa: makakatulong ang pakikipag-usap sa taong pinagkakatiwalaan mo, sa doktor mo o sa employee assistance program, pati ang paglayo muna sa sitwasyon.',
    'Kung may nasa panganib ngayon — kasama ka — tumawag sa lokal na emergency number.',
    'Kung may kinalaman ang trabaho rito, ikuwento mo sa akin ang nangyayari at sabay tayong maghanap ng ligtas na susunod na hakbang.',
  ],
  vi: [
    'Tôi không thể giúp làm hại bất kỳ ai — một người, một đứa trẻ, một con vật — hay phá hoại một nơi nào, và tôi sẽ không đưa ra cách thức.',
    'Nếu bạn đang tức giận, sợ hãi hay thấy bị dồn vào đường cùng đến mức này, điều đó quan trọng và bạn không phải gánh một mình: nói chuyện với người bạn tin tưởng, bác sĩ hoặc chương trình hỗ trợ nhân viên có thể giúp, và tạm rời khỏi tình huống lúc này cũng vậy.',
    'Nếu có ai đang gặp nguy hiểm ngay lúc này — kể cả bạn — hãy gọi số khẩn cấp tại địa phương.',
    'Nếu chuyện ở chỗ làm là nguyên nhân, hãy kể cho tôi chuyện gì đang xảy ra và chúng ta cùng tìm một bước tiếp theo an toàn.',
  ],
  ar: [
    'لا أستطيع المساعدة في إيذاء أي أحد — شخص أو طفل أو حيوان — أو في تخريب مكان، ولن أقدّم أي طريقة.',
    'إذا كنت تشعر بهذا القدر من الغضب أو الخوف أو أنك محاصر، فهذا مهم ولست مضطرًا لحمله وحدك: الحديث مع شخص تثق به أو مع طبيبك أو مع برنامج مساعدة الموظفين قد يساعد، وكذلك الابتعاد قليلًا عن الموقف الآن.',
    'إذا كان أحد في خطر الآن — بما في ذلك أنت — فاتصل برقم الطوارئ المحلي.',
    'إذا كان وراء هذا شيء في العمل، أخبرني بما يحدث ولنبحث معًا عن خطوة تالية آمنة.',
  ],
  zh: [
    '我不能帮助伤害任何人——无论是人、孩子还是动物——也不能帮助破坏任何地方，我不会提供任何方法。',
    '如果你现在感到如此愤怒、害怕或走投无路，这很重要，你不必一个人扛着：和信任的人、你的医生或员工援助热线聊一聊会有帮助，暂时离开这个情境也会有帮助。',
    '如果现在有人处于危险之中——包括你自己——请拨打当地的紧急电话。',
    '如果这背后是工作上的事，告诉我发生了什么，我们一起想一个安全的下一步。',
  ],
  hi: [
    'मैं किसी को भी नुकसान पहुँचाने में मदद नहीं कर सकता — किसी व्यक्ति, बच्चे या जानवर को — या किसी जगह को नुकसान पहुँचाने में, और मैं कोई तरीका नहीं बताऊँगा।',
    'अगर आप इतना ग़ुस्सा, डर या फँसा हुआ महसूस कर रहे हैं, तो यह मायने रखता है और आपको यह अकेले नहीं उठाना है: किसी भरोसेमंद व्यक्ति, अपने डॉक्टर या कर्मचारी सहायता कार्यक्रम से बात करना मदद कर सकता है, और अभी इस स्थिति से थोड़ा दूर हो जाना भी।',
    'अगर अभी कोई ख़तरे में है — आप भी — तो कृपया अपने स्थानीय आपातकालीन नंबर पर कॉल करें।',
    'अगर इसके पीछे काम से जुड़ी कोई बात है, तो मुझे बताइए क्या हो रहा है और हम मिलकर एक सुरक्षित अगला कदम तय करेंगे।',
  ],
};

/** Refusal of an instruction override / jailbreak / scripted dialogue: [reason per kind, the offer]. */
export interface ManipulationRefusal {
  manyShot: string;
  injection: string;
  jailbreak: string;
  offer: string;
}

export const MANIPULATION_REFUSALS: Record<LanguageCode, ManipulationRefusal> = {
  en: {
    manyShot: 'That message contains a scripted conversation meant to steer my answers, so I won’t follow it.',
    injection: 'I can’t change or reveal the instructions I work with, so I won’t follow that part.',
    jailbreak: 'I can’t switch off my guidelines or act as a different assistant.',
    offer: 'I’m still happy to help with anything about leading your team — a tricky conversation, a rota, feedback, or how you’re doing yourself. What’s on your mind?',
  },
  es: {
    manyShot: 'Ese mensaje contiene una conversación preparada para dirigir mis respuestas, así que no la voy a seguir.',
    injection: 'No puedo cambiar ni revelar las instrucciones con las que trabajo, así que esa parte no la voy a seguir.',
    jailbreak: 'No puedo desactivar mis pautas ni actuar como otro asistente.',
    offer: 'Sigo encantado de ayudarte con lo que necesites para liderar a tu equipo: una conversación difícil, un cuadrante, dar feedback o cómo estás tú. ¿Qué tienes en mente?',
  },
  fr: {
    manyShot: 'Ce message contient une conversation scénarisée pour orienter mes réponses, je ne vais donc pas la suivre.',
    injection: 'Je ne peux ni modifier ni révéler les consignes avec lesquelles je travaille, je ne suivrai donc pas cette partie.',
    jailbreak: 'Je ne peux pas désactiver mes règles ni jouer un autre assistant.',
    offer: 'Je reste ravi de t’aider pour tout ce qui touche à ton équipe : une conversation délicate, un planning, un retour à faire ou comment tu vas toi-même. Qu’est-ce qui te préoccupe ?',
  },
  de: {
    manyShot: 'Die Nachricht enthält ein vorbereitetes Gespräch, das meine Antworten lenken soll, deshalb folge ich ihm nicht.',
    injection: 'Ich kann die Anweisungen, mit denen ich arbeite, weder ändern noch offenlegen, deshalb folge ich diesem Teil nicht.',
    jailbreak: 'Ich kann meine Richtlinien nicht abschalten und auch keinen anderen Assistenten spielen.',
    offer: 'Bei allem rund um die Führung deines Teams helfe ich gern – ein schwieriges Gespräch, ein Dienstplan, Feedback oder wie es dir selbst geht. Was beschäftigt dich?',
  },
  pt: {
    manyShot: 'Essa mensagem contém uma conversa roteirizada para direcionar minhas respostas, então não vou segui-la.',
    injection: 'Não posso mudar nem revelar as instruções com que trabalho, então não vou seguir essa parte.',
    jailbreak: 'Não posso desligar minhas diretrizes nem agir como outro assistente.',
    offer: 'Continuo à disposição para tudo sobre liderar sua equipe — uma conversa difícil, uma escala, um feedback ou como você mesmo está. O que está pensando?',
  },
  it: {
    manyShot: 'Quel messaggio contiene una conversazione preparata per guidare le mie risposte, quindi non la seguirò.',
    injection: 'Non posso cambiare né rivelare le istruzioni con cui lavoro, quindi quella parte non la seguirò.',
    jailbreak: 'Non posso disattivare le mie linee guida né comportarmi come un altro assistente.',
    offer: 'Resto felice di aiutarti con tutto ciò che riguarda la guida del tuo team: una conversazione difficile, i turni, un feedback o come stai tu. A cosa stai pensando?',
  },
  pl: {
    manyShot: 'Ta wiadomość zawiera przygotowaną rozmowę, która ma sterować moimi odpowiedziami, więc nie będę jej wykonywać.',
    injection: 'Nie mogę zmienić ani ujawnić instrukcji, według których pracuję, więc tej części nie wykonam.',
    jailbreak: 'Nie mogę wyłączyć swoich zasad ani udawać innego asystenta.',
    offer: 'Chętnie pomogę we wszystkim, co dotyczy prowadzenia zespołu — trudna rozmowa, grafik, informacja zwrotna albo to, jak ty się czujesz. Co cię zajmuje?',
  },
  nl: {
    manyShot: 'Dat bericht bevat een uitgeschreven gesprek dat mijn antwoorden moet sturen, dus dat volg ik niet.',
    injection: 'Ik kan de instructies waarmee ik werk niet wijzigen of prijsgeven, dus dat deel volg ik niet.',
    jailbreak: 'Ik kan mijn richtlijnen niet uitzetten of doen alsof ik een andere assistent ben.',
    offer: 'Ik help je graag met alles rond het leiden van je team — een lastig gesprek, een rooster, feedback of hoe het met jou gaat. Waar zit je mee?',
  },
  ro: {
    manyShot: 'Mesajul conține o conversație regizată ca să-mi dirijeze răspunsurile, așa că nu o voi urma.',
    injection: 'Nu pot schimba sau dezvălui instrucțiunile cu care lucrez, așa că nu voi urma acea parte.',
    jailbreak: 'Nu pot să-mi opresc regulile sau să mă comport ca un alt asistent.',
    offer: 'Te ajut cu drag cu orice ține de conducerea echipei — o discuție dificilă, un program de ture, feedback sau cum te simți tu. La ce te gândești?',
  },
  uk: {
    manyShot: 'Це повідомлення містить заготовлену розмову, яка має керувати моїми відповідями, тож я не буду її виконувати.',
    injection: 'Я не можу змінити чи розкрити інструкції, за якими працюю, тож цю частину не виконаю.',
    jailbreak: 'Я не можу вимкнути свої правила чи діяти як інший асистент.',
    offer: 'Я залюбки допоможу з усім, що стосується керування командою: складна розмова, графік, відгук чи те, як ви самі. Що вас турбує?',
  },
  tl: {
    manyShot: 'May nakahandang usapan ang mensaheng iyan na ginawa para idirekta ang mga sagot ko, kaya hindi ko ito susundin.',
    injection: 'Hindi ko mababago o maibubunyag ang mga tagubiling sinusunod ko, kaya hindi ko susundin ang bahaging iyan.',
    jailbreak: 'Hindi ko mapapatay ang mga alituntunin ko o magpanggap na ibang assistant.',
    offer: 'Masaya pa rin akong tumulong sa anumang tungkol sa pamumuno sa team mo — isang mahirap na usapan, iskedyul, feedback, o kung kumusta ka. Ano ang nasa isip mo?',
  },
  vi: {
    manyShot: 'Tin nhắn đó chứa một đoạn hội thoại dựng sẵn nhằm điều khiển câu trả lời của tôi, nên tôi sẽ không làm theo.',
    injection: 'Tôi không thể thay đổi hay tiết lộ các hướng dẫn mà tôi làm việc theo, nên tôi sẽ không làm theo phần đó.',
    jailbreak: 'Tôi không thể tắt các nguyên tắc của mình hay đóng vai một trợ lý khác.',
    offer: 'Tôi vẫn sẵn lòng giúp mọi việc về dẫn dắt đội của bạn — một cuộc trò chuyện khó, lịch ca, góp ý, hay chính bạn đang thế nào. Bạn đang nghĩ gì?',
  },
  ar: {
    manyShot: 'تحتوي هذه الرسالة على محادثة مُعدّة مسبقًا لتوجيه إجاباتي، لذلك لن أتبعها.',
    injection: 'لا أستطيع تغيير التعليمات التي أعمل بها أو كشفها، لذلك لن أتبع هذا الجزء.',
    jailbreak: 'لا أستطيع إيقاف إرشاداتي أو التصرف كمساعد آخر.',
    offer: 'ما زلت سعيدًا بمساعدتك في أي شيء يخص قيادة فريقك — محادثة صعبة، جدول مناوبات، ملاحظات، أو كيف حالك أنت. بماذا تفكر؟',
  },
  zh: {
    manyShot: '这条消息里有一段事先编好的对话，想引导我的回答，所以我不会照做。',
    injection: '我不能修改或透露我所遵循的指令，所以这一部分我不会照做。',
    jailbreak: '我不能关闭我的准则，也不能扮演另一个助手。',
    offer: '关于带团队的任何事我都很乐意帮忙——一次棘手的谈话、排班、反馈，或者你自己的状态。你在想什么？',
  },
  hi: {
    manyShot: 'इस संदेश में पहले से लिखी एक बातचीत है जो मेरे जवाबों को मोड़ने के लिए है, इसलिए मैं उसका पालन नहीं करूँगा।',
    injection: 'मैं जिन निर्देशों के साथ काम करता हूँ, उन्हें न बदल सकता हूँ न बता सकता हूँ, इसलिए वह हिस्सा नहीं मानूँगा।',
    jailbreak: 'मैं अपने दिशानिर्देश बंद नहीं कर सकता और न ही किसी दूसरे सहायक की तरह काम कर सकता हूँ।',
    offer: 'अपनी टीम का नेतृत्व करने से जुड़ी किसी भी बात में मैं ख़ुशी से मदद करूँगा — कोई मुश्किल बातचीत, रोस्टर, फ़ीडबैक, या आप ख़ुद कैसे हैं। आपके मन में क्या है?',
  },
};
