# ruff: noqa: E501, C408  (test data: long original texts in several scripts)
"""Golden pages for the extraction tests, generated from CMS-style templates.

Each template reproduces the markup habits of one CMS family (Wix is a hand-written
file next to this module): WordPress, Ghost, Drupal, Substack, Blogger, Medium, a big
newsroom's custom CMS, Joomla, Squarespace and Hugo, with their usual boilerplate:
navigation, share bars, related posts, newsletter boxes, cookie banners, comments
and footers, localised in the article's language.  Article texts are original
writing for these tests.  ``articles()`` and ``listings()`` return
``(name, html, url, expected)`` tuples; ``expected`` holds the metadata the extractor
must find plus ``must_include``/``must_exclude`` phrases.
"""

from __future__ import annotations

import json
from html import escape

UI = {
    "en": dict(
        home="Home",
        sections=["World", "Business", "Science", "Culture", "Sport"],
        share="Share this article",
        news="Sign up for our weekly newsletter and never miss a story",
        cookie="We use cookies to improve your experience and to measure our audience.",
        accept="Accept all",
        comments="Comments",
        leave="Leave a comment",
        first="Be the first to comment on this story.",
        related="Related posts",
        rights="All rights reserved",
        email="Your email address",
        subscribe="Subscribe",
        views="1.2k views",
        by="By",
        tags="Tags",
        read="min read",
    ),
    "fr": dict(
        home="Accueil",
        sections=["Monde", "Économie", "Sciences", "Culture", "Sports"],
        share="Partager cet article",
        news="Inscrivez-vous à notre lettre d'information hebdomadaire",
        cookie="Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience.",
        accept="Tout accepter",
        comments="Commentaires",
        leave="Laisser un commentaire",
        first="Soyez le premier à réagir à cet article.",
        related="Articles similaires",
        rights="Tous droits réservés",
        email="Votre adresse e-mail",
        subscribe="S'abonner",
        views="1 204 vues",
        by="Par",
        tags="Mots-clés",
        read="min de lecture",
    ),
    "de": dict(
        home="Startseite",
        sections=["Politik", "Wirtschaft", "Wissen", "Kultur", "Sport"],
        share="Artikel teilen",
        news="Melden Sie sich für unseren wöchentlichen Newsletter an",
        cookie="Wir verwenden Cookies, um Ihr Nutzungserlebnis zu verbessern und Reichweite zu messen.",
        accept="Alle akzeptieren",
        comments="Kommentare",
        leave="Kommentar schreiben",
        first="Schreiben Sie den ersten Kommentar zu diesem Artikel.",
        related="Das könnte Sie auch interessieren",
        rights="Alle Rechte vorbehalten",
        email="Ihre E-Mail-Adresse",
        subscribe="Abonnieren",
        views="1.204 Aufrufe",
        by="Von",
        tags="Schlagwörter",
        read="Min. Lesezeit",
    ),
    "es": dict(
        home="Inicio",
        sections=["Internacional", "Economía", "Ciencia", "Cultura", "Deportes"],
        share="Compartir este artículo",
        news="Suscríbete a nuestro boletín semanal gratuito",
        cookie="Utilizamos cookies para mejorar tu experiencia y medir la audiencia.",
        accept="Aceptar todo",
        comments="Comentarios",
        leave="Deja un comentario",
        first="Sé el primero en comentar esta noticia.",
        related="Artículos relacionados",
        rights="Todos los derechos reservados",
        email="Tu correo electrónico",
        subscribe="Suscribirme",
        views="1.204 visualizaciones",
        by="Por",
        tags="Etiquetas",
        read="min de lectura",
    ),
    "pt": dict(
        home="Início",
        sections=["Mundo", "Economia", "Ciência", "Cultura", "Esportes"],
        share="Compartilhe este artigo",
        news="Assine a nossa newsletter semanal gratuita",
        cookie="Usamos cookies para melhorar sua experiência e medir a audiência.",
        accept="Aceitar todos",
        comments="Comentários",
        leave="Deixe um comentário",
        first="Seja o primeiro a comentar esta matéria.",
        related="Posts relacionados",
        rights="Todos os direitos reservados",
        email="Seu e-mail",
        subscribe="Assinar",
        views="1.204 visualizações",
        by="Por",
        tags="Tags",
        read="min de leitura",
    ),
    "ru": dict(
        home="Главная",
        sections=["В мире", "Экономика", "Наука", "Культура", "Спорт"],
        share="Поделиться статьей",
        news="Подпишитесь на нашу еженедельную рассылку",
        cookie="Мы используем файлы cookie, чтобы сайт работал лучше, и для подсчёта аудитории.",
        accept="Принять все",
        comments="Комментарии",
        leave="Оставить комментарий",
        first="Станьте первым, кто прокомментирует эту статью.",
        related="Читайте также",
        rights="Все права защищены",
        email="Ваш e-mail",
        subscribe="Подписаться",
        views="1204 просмотра",
        by="Автор:",
        tags="Теги",
        read="мин. чтения",
    ),
    "ja": dict(
        home="ホーム",
        sections=["国際", "経済", "科学", "文化", "スポーツ"],
        share="この記事をシェアする",
        news="週刊ニュースレターに登録して最新記事を受け取る",
        cookie="当サイトでは利便性向上とアクセス解析のためにクッキーを使用しています。",
        accept="すべて許可",
        comments="コメント",
        leave="コメントを書く",
        first="この記事への最初のコメントを書きましょう。",
        related="関連記事",
        rights="無断転載を禁じます",
        email="メールアドレス",
        subscribe="登録する",
        views="1204回閲覧",
        by="文：",
        tags="タグ",
        read="分で読めます",
    ),
}

RELATED = {
    "en": [
        "Why the night bus matters more than the metro",
        "A winter of record ferry delays",
        "The quiet return of the village bakery",
    ],
    "fr": [
        "Le retour discret des boulangeries de village",
        "Pourquoi les bus de nuit comptent",
        "Un hiver de retards record pour les ferries",
    ],
    "de": [
        "Die stille Rückkehr der Dorfbäckerei",
        "Warum der Nachtbus wichtiger ist als die U-Bahn",
        "Ein Winter voller Fährverspätungen",
    ],
    "es": [
        "El regreso silencioso de la panadería del pueblo",
        "Por qué importa el autobús nocturno",
        "Un invierno de retrasos récord en los ferris",
    ],
    "pt": [
        "A volta discreta da padaria do bairro",
        "Por que o ônibus noturno importa",
        "Um inverno de atrasos recordes nas balsas",
    ],
    "ru": [
        "Тихое возвращение сельской пекарни",
        "Почему ночной автобус важнее метро",
        "Зима рекордных задержек паромов",
    ],
    "ja": [
        "町のパン屋が静かに戻ってきた理由",
        "深夜バスが地下鉄より大切な理由",
        "フェリー遅延が続いた冬",
    ],
}

# --- the articles (original texts) ----------------------------------------------------

ARTICLES: list[dict] = [
    dict(
        name="wordpress-en-allotments",
        cms="wordpress",
        lang="en",
        title="Allotment waiting lists grow as renters turn to growing their own",
        author="Hannah Price",
        published="2024-03-05T09:12:00+00:00",
        site="The Valley Courier",
        section="Local",
        tags=["Gardening", "Housing"],
        body=[
            (
                "p",
                "The waiting list for a council allotment in Ashford Vale has passed four hundred names for the first time, and the parish clerk says some applicants will wait six years for a plot.",
            ),
            (
                "p",
                "Most of the new applicants live in flats without gardens. Several told the Courier that rising food prices pushed them to try growing vegetables, while others simply wanted a reason to spend time outdoors after work.",
            ),
            ("h", "Splitting plots in half"),
            (
                "p",
                "To shorten the queue, the allotment society has started dividing full-size plots into halves when a tenant leaves. Half plots are easier for beginners to manage and let twice as many households get started.",
            ),
            (
                "p",
                "The society is also asking landowners on the edge of the village whether a field could be leased for a second site, although nothing has been agreed yet.",
            ),
        ],
    ),
    dict(
        name="wordpress-fr-velo",
        cms="wordpress",
        lang="fr",
        title="À Tours, le vélo-cargo s'impose pour livrer le centre historique",
        author="Julien Morel",
        published="2024-04-18T07:30:00+02:00",
        site="La Gazette de Loire",
        section="Économie",
        tags=["Mobilité", "Commerce"],
        body=[
            (
                "p",
                "Depuis janvier, une douzaine de commerçants du vieux Tours confient leurs livraisons à une coopérative de coursiers équipés de vélos-cargos électriques. Les camionnettes n'ont plus le droit d'entrer dans les rues piétonnes après dix heures.",
            ),
            (
                "p",
                "La coopérative compte aujourd'hui sept salariés et assure près de trois cents livraisons par jour, des colis de librairie aux caisses de légumes pour les restaurants.",
            ),
            ("h", "Un modèle encore fragile"),
            (
                "p",
                "Les fondateurs reconnaissent que l'équilibre financier reste difficile à atteindre. Les tarifs doivent rester proches de ceux des transporteurs classiques, alors que chaque vélo coûte plus de huit mille euros.",
            ),
            (
                "p",
                "La métropole étudie une aide à l'achat de vélos pour les entreprises de livraison, qui pourrait être votée avant l'été.",
            ),
        ],
    ),
    dict(
        name="wordpress-pt-feira",
        cms="wordpress",
        lang="pt",
        title="Feira de trocas de sementes reúne agricultores no interior de Minas",
        author="Larissa Campos",
        published="2024-05-11T14:00:00-03:00",
        site="Jornal do Vale",
        section="Agricultura",
        tags=["Sementes", "Agricultura familiar"],
        body=[
            (
                "p",
                "Cerca de duzentos agricultores familiares participaram no sábado da sexta feira de trocas de sementes crioulas de Serra Alta, no interior de Minas Gerais. Cada participante trouxe variedades guardadas pela própria família.",
            ),
            (
                "p",
                "Milho roxo, feijão rajado e abóboras de casca grossa estavam entre as sementes mais procuradas. Muitas dessas variedades não são vendidas em lojas e só sobrevivem porque passam de mão em mão.",
            ),
            ("h", "Um banco de sementes comunitário"),
            (
                "p",
                "A associação organizadora quer criar um banco de sementes na escola rural do município, com registro da origem de cada lote e uma pequena câmara fria para conservar o material.",
            ),
            ("p", "A próxima feira está prevista para setembro, depois da colheita do feijão."),
        ],
    ),
    dict(
        name="wordpress-ja-sento",
        cms="wordpress",
        lang="ja",
        title="銭湯の減少が続く中、若い経営者が新しい客層を呼び込む",
        author="山本 花子",
        published="2024-02-02T18:00:00+09:00",
        site="まちかど新聞",
        section="暮らし",
        tags=["銭湯", "地域"],
        body=[
            (
                "p",
                "都内の銭湯はこの二十年で半分以下に減ったが、最近は二十代や三十代の経営者が家業を継ぎ、内装やサービスを見直す例が増えている。",
            ),
            (
                "p",
                "北区の老舗銭湯では、三代目の店主が休憩所を改装し、地元の作家の展示や週末の朝風呂を始めた。開店前から若い客が列を作る日もあるという。",
            ),
            ("h", "燃料費の高騰が課題"),
            (
                "p",
                "一方で、ボイラーの燃料費は三年前の一・五倍近くに上がった。料金は都の条例で決まっているため、経営者は物販やイベントで収入を補っている。",
            ),
            ("p", "業界団体は、設備更新への補助を増やすよう自治体に求めている。"),
        ],
    ),
    dict(
        name="ghost-en-lighthouse",
        cms="ghost",
        lang="en",
        title="The last keeper of Carrick Point lighthouse hands over the keys",
        author="Owen Gallagher",
        published="2024-02-11T08:00:00+00:00",
        site="Coastlines",
        section="Features",
        tags=["Heritage", "Coast"],
        body=[
            (
                "p",
                "For thirty-one years Declan Rourke climbed the hundred and twelve steps of Carrick Point lighthouse every evening. Last week he handed the keys to a heritage trust that will open the tower to visitors.",
            ),
            (
                "p",
                "The light itself has been automatic since the nineties, but Rourke stayed on as attendant, greasing the clockwork, logging the weather and repainting the gallery rail every second summer.",
            ),
            ("h", "A museum in the keeper's cottage"),
            (
                "p",
                "The trust plans to turn the cottage into a small museum with his logbooks, a lens from the original lamp and recordings of local fishermen describing the nights when the light was all they had.",
            ),
            (
                "p",
                "Rourke says he will still walk out to the point most evenings, if only to check that the beam comes on.",
            ),
        ],
    ),
    dict(
        name="ghost-de-genossenschaft",
        cms="ghost",
        lang="de",
        title="Eine Genossenschaft rettet den letzten Dorfladen im Odenwald",
        author="Miriam Keller",
        published="2024-03-21T06:45:00+00:00",
        site="Landlinien",
        section="Reportage",
        tags=["Nahversorgung", "Ehrenamt"],
        body=[
            (
                "p",
                "Als der Inhaber des einzigen Lebensmittelladens in Oberkainsbach in Rente ging, fand sich kein Nachfolger. Zwei Monate später gründeten hundertvierzig Einwohnerinnen und Einwohner eine Genossenschaft und übernahmen das Geschäft.",
            ),
            (
                "p",
                "Jedes Mitglied zeichnete mindestens einen Anteil zu zweihundert Euro. Eine Verkäuferin ist fest angestellt, an den Wochenenden helfen Ehrenamtliche an der Kasse und beim Einräumen.",
            ),
            ("h", "Regionale Ware als Vorteil"),
            (
                "p",
                "Der Laden setzt auf Eier, Brot und Gemüse aus der Umgebung. Die Preise liegen etwas über denen der Discounter in der Kreisstadt, doch viele Kunden sparen sich die Fahrt von zwanzig Kilometern.",
            ),
            (
                "p",
                "Nach dem ersten Jahr schreibt die Genossenschaft eine schwarze Null, die Mitglieder wollen nun ein kleines Café anbauen.",
            ),
        ],
    ),
    dict(
        name="ghost-es-huerto",
        cms="ghost",
        lang="es",
        title="Un huerto escolar convierte el recreo en clase de ciencias",
        author="Lucía Ferrer",
        published="2024-04-09T10:00:00+00:00",
        site="Aula Abierta",
        section="Educación",
        tags=["Educación", "Medio ambiente"],
        body=[
            (
                "p",
                "En el colegio público Miguel Hernández de Elche, los alumnos de quinto dedican dos recreos a la semana a cuidar un huerto de cuarenta metros cuadrados junto al patio.",
            ),
            (
                "p",
                "Los profesores aprovechan el huerto para explicar la germinación, medir el crecimiento de las plantas y calcular cuánta agua necesita cada cultivo según la temperatura.",
            ),
            ("h", "Cosecha para el comedor"),
            (
                "p",
                "Parte de la cosecha de lechugas y habas termina en el comedor escolar. Las familias se turnan para regar durante las vacaciones de verano.",
            ),
            (
                "p",
                "La dirección quiere instalar un pequeño depósito para recoger el agua de lluvia del tejado del gimnasio.",
            ),
        ],
    ),
    dict(
        name="drupal-en-council",
        cms="drupal",
        lang="en",
        title="Council approves a four-day week trial for its own staff",
        author="Priya Natarajan",
        published="2024-01-19T12:00:00+00:00",
        site="Northfield Gazette",
        section="Politics",
        tags=["Council", "Work"],
        body=[
            (
                "p",
                "Northfield district council voted on Thursday to let around two hundred office staff work a four-day week for one year, without a cut in pay, starting in April.",
            ),
            (
                "p",
                "Supporters said the trial would help the council recruit planners and environmental health officers, posts that have stood empty for months. Opponents warned that residents could find offices closed when they need them.",
            ),
            ("h", "How the trial will be measured"),
            (
                "p",
                "An independent panel will compare response times, sickness absence and staff turnover with the previous year. Bin collections and care services are not part of the trial.",
            ),
            ("p", "The final report is due to be published in the spring of next year."),
        ],
    ),
    dict(
        name="drupal-es-biblioteca",
        cms="drupal",
        lang="es",
        title="La biblioteca municipal abrirá los domingos durante los exámenes",
        author="Andrés Molina",
        published="2024-05-03T09:00:00+00:00",
        site="Diario de la Vega",
        section="Ciudad",
        tags=["Bibliotecas", "Estudiantes"],
        body=[
            (
                "p",
                "La biblioteca municipal de Villanueva abrirá sus salas de estudio todos los domingos de mayo y junio, de nueve de la mañana a nueve de la noche, para atender la demanda de los estudiantes.",
            ),
            (
                "p",
                "La medida llega después de que una recogida de firmas reuniera más de mil apoyos en dos semanas. Hasta ahora, los estudiantes tenían que desplazarse a la capital de la provincia.",
            ),
            ("h", "Más puestos con enchufe"),
            (
                "p",
                "El ayuntamiento instalará además cuarenta puestos nuevos con enchufe y mejorará la red wifi de la segunda planta.",
            ),
            (
                "p",
                "Si la experiencia funciona, la apertura dominical se repetirá en la convocatoria de septiembre.",
            ),
        ],
    ),
    dict(
        name="drupal-fr-marche",
        cms="drupal",
        lang="fr",
        title="Le marché couvert de Sainte-Claire rouvre après deux ans de travaux",
        author="Sophie Lambert",
        published="2024-06-01T08:00:00+00:00",
        site="Le Journal du Canton",
        section="Vie locale",
        tags=["Commerce", "Patrimoine"],
        body=[
            (
                "p",
                "Après deux ans de chantier, le marché couvert de Sainte-Claire a rouvert samedi matin. La charpente métallique de 1894 a été entièrement démontée, traitée puis remontée pièce par pièce.",
            ),
            (
                "p",
                "Vingt-deux commerçants occupent désormais les étals, contre quinze avant les travaux. Un fromager et une torréfactrice se sont installés pour la première fois.",
            ),
            ("h", "Des horaires élargis"),
            (
                "p",
                "Le marché sera ouvert du mardi au dimanche, avec une nocturne le vendredi jusqu'à vingt et une heures pendant l'été.",
            ),
            ("p", "La commune espère que la halle redonnera vie aux rues commerçantes voisines."),
        ],
    ),
    dict(
        name="substack-en-grid",
        cms="substack",
        lang="en",
        title="What a heat pump taught me about my old house",
        author="Marcus Webb",
        published="2024-04-02T11:30:00+00:00",
        site="Low Carbon Notes",
        section="",
        tags=["Energy"],
        body=[
            (
                "p",
                "When the installer first walked around my 1930s semi, he spent more time looking at the radiators than at the boiler. Most of them, it turned out, were too small to heat the rooms at the lower water temperature a heat pump likes.",
            ),
            (
                "p",
                "We replaced four radiators, insulated the loft properly and fitted a new hot water cylinder. The outdoor unit sits by the side gate and is quieter than the fridge.",
            ),
            ("h", "The first winter"),
            (
                "p",
                "Our electricity bill went up, our gas bill disappeared, and the total came out slightly lower than the year before. The house feels warmer because the heating runs longer at a gentler temperature.",
            ),
            ("p", "The biggest lesson was that the survey matters more than the machine."),
        ],
    ),
    dict(
        name="substack-fr-lecture",
        cms="substack",
        lang="fr",
        title="Pourquoi je relis les mêmes livres chaque hiver",
        author="Camille Roussel",
        published="2024-01-14T17:00:00+00:00",
        site="Marges",
        section="",
        tags=["Lecture"],
        body=[
            (
                "p",
                "Chaque année, quand les jours raccourcissent, je reprends les trois mêmes romans. Je connais la fin, je connais parfois des phrases entières, et c'est précisément ce qui me rassure.",
            ),
            (
                "p",
                "Relire n'est pas seulement revenir en arrière. Je découvre à chaque fois un personnage secondaire que j'avais négligé, ou une description qui me semble soudain écrite pour moi.",
            ),
            ("h", "Une lecture qui change avec nous"),
            (
                "p",
                "Le livre ne bouge pas, mais la lectrice a vieilli d'un an. Ce décalage est devenu pour moi une façon de mesurer le temps, plus fiable qu'un calendrier.",
            ),
            (
                "p",
                "Cette semaine, je vous propose de me dire quel livre vous relisez, et pourquoi.",
            ),
        ],
    ),
    dict(
        name="blogger-pt-receita",
        cms="blogger",
        lang="pt",
        no_lang=True,
        title="Pão de queijo da vovó: a receita que atravessou três gerações",
        author="Beatriz Nogueira",
        published="2024-05-06T07:15:00-03:00",
        site="Cozinha da Bia",
        section="",
        tags=["Receitas", "Mineira"],
        body=[
            (
                "p",
                "Minha avó nunca mediu nada. Ela colocava o polvilho na bacia, escaldava com leite e óleo ferventes e ia acrescentando queijo até a massa ficar no ponto que só ela sabia reconhecer.",
            ),
            (
                "p",
                "Depois de muitas tentativas, consegui transformar o olhar dela em medidas: meio quilo de polvilho azedo, um copo de leite, meio copo de óleo, dois ovos e duzentos gramas de queijo meia cura ralado.",
            ),
            ("h", "O segredo do forno"),
            (
                "p",
                "O forno precisa estar bem quente antes de entrar a assadeira. Asse por cerca de vinte e cinco minutos, até que os pães estejam dourados por baixo e leves por dentro.",
            ),
            ("p", "Eles podem ser congelados crus e assados direto do congelador."),
        ],
    ),
    dict(
        name="blogger-en-trains",
        cms="blogger",
        lang="en",
        title="Restoring a 1950s model railway, one carriage at a time",
        author="Gordon Fairley",
        published="2024-03-17T19:40:00+00:00",
        site="Branch Line Diaries",
        section="",
        tags=["Model railways", "Restoration"],
        body=[
            (
                "p",
                "The box arrived from a house clearance in Shropshire: three locomotives, eleven carriages and a tangle of track, all in the original cardboard with my grandfather's handwriting on the lids.",
            ),
            (
                "p",
                "The motors were seized with old oil, so each one came apart on the kitchen table. A soak in white spirit and new brushes brought two of them back to life within an evening.",
            ),
            ("h", "Carriage lighting"),
            (
                "p",
                "The carriages had tiny bulbs that had long since failed. I have replaced them with warm white LEDs and a small resistor, hidden under the roof so the interiors glow without looking modern.",
            ),
            ("p", "Next month I will tackle the signal box, which needs a new lever frame."),
        ],
    ),
    dict(
        name="medium-en-remote",
        cms="medium",
        lang="en",
        title="Remote teams need fewer meetings and better notes",
        author="Aisha Karimi",
        published="2024-06-14T16:03:11+00:00",
        site="Medium",
        section="",
        tags=["Remote Work", "Management"],
        body=[
            (
                "p",
                "Our team spans seven time zones, and for a year we tried to solve every coordination problem with another recurring call. Attendance dropped, decisions were lost, and the people in Asia always got the worst slots.",
            ),
            (
                "p",
                "We replaced most meetings with written proposals. Anyone can comment for two working days, then the owner writes down the decision and the reasons behind it.",
            ),
            ("h", "What changed"),
            (
                "p",
                "Decisions became searchable. New colleagues now read the decision log in their first week instead of asking the same questions in chat.",
            ),
            (
                "p",
                "We still meet once a week, but only to talk about things that are hard to write down.",
            ),
        ],
    ),
    dict(
        name="medium-es-datos",
        cms="medium",
        lang="es",
        title="Lo que aprendí limpiando datos abiertos de transporte",
        author="Diego Salvatierra",
        published="2024-02-27T13:20:00+00:00",
        site="Medium",
        section="",
        tags=["Datos abiertos", "Transporte"],
        body=[
            (
                "p",
                "Cuando descargué por primera vez los horarios de autobuses de mi ciudad en formato abierto, pensé que tendría un mapa listo en una tarde. Tardé tres semanas.",
            ),
            (
                "p",
                "Había paradas duplicadas con nombres ligeramente distintos, líneas que cambiaban de código en verano y horarios que pasaban de las veinticuatro horas para los servicios nocturnos.",
            ),
            ("h", "Documentar cada decisión"),
            (
                "p",
                "La lección más útil fue anotar cada corrección en un fichero aparte. Así pude explicar a la empresa de transporte qué errores había encontrado y corrigieron la mitad en la siguiente publicación.",
            ),
            (
                "p",
                "El código de limpieza está disponible para quien quiera reutilizarlo en otra ciudad.",
            ),
        ],
    ),
    dict(
        name="medium-pt-corrida",
        cms="medium",
        lang="pt",
        title="Como voltei a correr depois dos quarenta",
        author="Renato Albuquerque",
        published="2024-03-30T06:00:00+00:00",
        site="Medium",
        section="",
        tags=["Corrida", "Saúde"],
        body=[
            (
                "p",
                "Aos quarenta e dois anos, subir dois lances de escada me deixava sem fôlego. Comecei a correr alternando um minuto de trote com dois de caminhada, três vezes por semana.",
            ),
            (
                "p",
                "Nos primeiros meses, o mais difícil foi não exagerar. Toda vez que aumentei a distância rápido demais, os joelhos reclamaram e precisei parar por uma semana.",
            ),
            ("h", "Paciência acima de tudo"),
            (
                "p",
                "Depois de um ano, completei minha primeira prova de dez quilômetros. O tempo foi modesto, mas terminei inteiro e com vontade de continuar.",
            ),
            ("p", "Hoje corro menos do que gostaria e mais do que imaginava."),
        ],
    ),
    dict(
        name="newsroom-en-flood",
        cms="newsroom",
        lang="en",
        title="River barriers hold as storm brings record rainfall to the valley",
        author="Daniel Okafor",
        published="2024-02-08T21:15:00+00:00",
        site="The Daily Ledger",
        section="UK News",
        tags=["Weather", "Flooding"],
        body=[
            (
                "p",
                "Temporary flood barriers along the River Wend held overnight as the heaviest rainfall in forty years fell on the upper valley, the Environment Agency said on Thursday morning.",
            ),
            (
                "p",
                "More than ninety millimetres of rain were recorded at the Hillbrook gauge in twenty-four hours. About three hundred homes in low-lying streets were told to prepare to leave, but no evacuation was ordered.",
            ),
            ("h", "Roads and railways"),
            (
                "p",
                "The valley railway line remained closed between Hillbrook and Castleford after a landslip, and several minor roads were cut off by standing water.",
            ),
            (
                "p",
                "Forecasters expect drier weather from Saturday, although river levels may stay high for several days.",
            ),
        ],
    ),
    dict(
        name="newsroom-de-bahn",
        cms="newsroom",
        lang="de",
        title="Neue Nachtzugverbindung zwischen Hamburg und Wien startet im Dezember",
        author="Tobias Brandt",
        published="2024-05-22T15:30:00+02:00",
        site="Nordkurier Digital",
        section="Reise",
        tags=["Bahn", "Reisen"],
        body=[
            (
                "p",
                "Ab Mitte Dezember fährt dreimal pro Woche ein Nachtzug von Hamburg über Berlin und Prag nach Wien. Das teilten die beteiligten Bahngesellschaften am Mittwoch mit.",
            ),
            (
                "p",
                "Der Zug führt Schlafwagen, Liegewagen und einen Sitzwagen. Die Fahrzeit beträgt knapp dreizehn Stunden, die Ankunft in Wien ist kurz nach acht Uhr morgens geplant.",
            ),
            ("h", "Buchung ab Oktober"),
            (
                "p",
                "Fahrkarten sollen ab Oktober buchbar sein. Ein Platz im Liegewagen kostet im Sparpreis ab neunundsechzig Euro.",
            ),
            (
                "p",
                "Bei guter Auslastung ist eine tägliche Verbindung ab dem übernächsten Jahr vorgesehen.",
            ),
        ],
    ),
    dict(
        name="newsroom-ru-most",
        cms="newsroom",
        lang="ru",
        title="В Казани открыли пешеходный мост через реку Казанку",
        author="Ирина Соколова",
        published="2024-06-20T10:00:00+03:00",
        site="Вести Поволжья",
        section="Город",
        tags=["Казань", "Городская среда"],
        body=[
            (
                "p",
                "В Казани в четверг открыли новый пешеходный мост через реку Казанку. Он соединил набережную у Кремля с жилыми кварталами на противоположном берегу.",
            ),
            (
                "p",
                "Длина моста составляет почти триста метров. Строительство заняло два года, на мосту предусмотрены велосипедные дорожки и смотровые площадки.",
            ),
            ("h", "Подсветка и зимнее содержание"),
            (
                "p",
                "Вечером конструкцию подсвечивают, а зимой покрытие будут подогревать, чтобы не использовать реагенты.",
            ),
            ("p", "Горожане уже назвали мост одним из самых красивых мест для прогулок."),
        ],
    ),
    dict(
        name="joomla-de-verein",
        cms="joomla",
        lang="de",
        title="Sportverein baut Flutlichtanlage mit Solarstrom",
        author="Klaus Reinhardt",
        published="2024-02-20T10:30:00+01:00",
        site="TSV Bergheim 1908",
        section="Vereinsnachrichten",
        tags=["Verein", "Energie"],
        body=[
            (
                "p",
                "Der TSV Bergheim hat die alte Flutlichtanlage am Hauptplatz durch LED-Strahler ersetzt. Den Strom liefert künftig eine Photovoltaikanlage auf dem Dach des Vereinsheims.",
            ),
            (
                "p",
                "Die Umbauarbeiten erledigten Mitglieder an vier Wochenenden weitgehend selbst. Die Kosten von rund achtzigtausend Euro wurden zur Hälfte vom Landessportbund gefördert.",
            ),
            ("h", "Weniger Stromkosten"),
            (
                "p",
                "Der Verein rechnet damit, seine Stromkosten um zwei Drittel zu senken. Die Ersparnis soll in die Jugendarbeit fließen.",
            ),
            (
                "p",
                "Die offizielle Einweihung findet beim Heimspiel am ersten Märzwochenende statt.",
            ),
        ],
    ),
    dict(
        name="joomla-ru-shkola",
        cms="joomla",
        lang="ru",
        title="Школьники из Вологды собрали метеостанцию своими руками",
        author="Андрей Крылов",
        published="2024-04-12T09:00:00+03:00",
        site="Вологодский вестник",
        section="Образование",
        tags=["Школа", "Наука"],
        body=[
            (
                "p",
                "Ученики восьмого класса вологодской школы номер двенадцать собрали автоматическую метеостанцию и установили её на крыше школы.",
            ),
            (
                "p",
                "Станция измеряет температуру, давление, влажность и скорость ветра. Данные каждые десять минут передаются на школьный сайт.",
            ),
            ("h", "Проект продолжится"),
            (
                "p",
                "Следующим шагом ребята хотят добавить датчик качества воздуха и сравнить свои измерения с данными городской службы.",
            ),
            (
                "p",
                "Руководитель кружка говорит, что главное в проекте — научиться доводить дело до конца.",
            ),
        ],
    ),
    dict(
        name="squarespace-en-pottery",
        cms="squarespace",
        lang="en",
        title="Inside a pottery studio that fires its kiln only twice a year",
        author="Elena Marsh",
        published="2024-03-28T14:00:00-04:00",
        site="Makers Journal",
        section="",
        tags=["Craft", "Ceramics"],
        body=[
            (
                "p",
                "At Hollow Creek Pottery, the wood-fired kiln is lit only in spring and autumn. Each firing lasts five days and needs about four cords of split oak, fed by hand around the clock.",
            ),
            (
                "p",
                "The potters spend the months in between throwing and drying hundreds of pieces. Ash from the fire settles on the pots and melts into glaze patterns that no one can fully predict.",
            ),
            ("h", "Opening the kiln"),
            (
                "p",
                "When the kiln has cooled for a week, friends and customers gather to watch the door come down. Some pieces crack, others come out better than anyone hoped.",
            ),
            ("p", "The next opening is planned for the first weekend of May."),
        ],
    ),
    dict(
        name="squarespace-fr-chocolat",
        cms="squarespace",
        lang="fr",
        title="Une chocolaterie de Bayonne relance une recette du XVIIIe siècle",
        author="Marion Etcheverry",
        published="2024-02-14T09:00:00+01:00",
        site="Saveurs du Sud-Ouest",
        section="",
        tags=["Gastronomie", "Patrimoine"],
        body=[
            (
                "p",
                "Dans son atelier du petit Bayonne, une chocolatière a reconstitué un chocolat à boire décrit dans un livre de comptes de 1761, retrouvé aux archives départementales.",
            ),
            (
                "p",
                "La recette associe le cacao à la cannelle, au piment d'Espelette et à une pointe de vanille. Le chocolat est broyé sur une pierre chauffée, comme à l'époque.",
            ),
            ("h", "Un succès inattendu"),
            (
                "p",
                "Les premiers lots ont été vendus en quelques jours. L'artisane prévoit des ateliers pour expliquer l'histoire du chocolat dans la ville.",
            ),
            ("p", "Elle espère voir d'autres recettes anciennes sortir des archives."),
        ],
    ),
    dict(
        name="hugo-ja-kaido",
        cms="hugo",
        lang="ja",
        title="旧街道を歩いて宿場町の記憶をたどる",
        author="佐藤 健一",
        published="2024-04-27",
        site="道草ノート",
        section="",
        tags=["散歩", "歴史"],
        body=[
            (
                "p",
                "週末、中山道の宿場町を三つ歩いてつないだ。舗装された道の脇に、江戸時代の一里塚や道標が今も残っている。",
            ),
            (
                "p",
                "二つ目の宿場では、本陣の建物が資料館として公開されていた。大名が泊まった部屋の天井は驚くほど低く、当時の暮らしを想像させる。",
            ),
            ("h", "地元の人との会話"),
            (
                "p",
                "茶屋の主人は、街道沿いの家が毎年少しずつ減っていると話してくれた。空き家を宿に改装する計画もあるという。",
            ),
            ("p", "次は峠を越える区間を歩いてみたい。"),
        ],
    ),
    dict(
        name="hugo-en-compiler",
        cms="hugo",
        lang="en",
        title="Notes on making a small compiler twice as fast",
        author="Tomas Lindqvist",
        published="2024-01-30",
        site="lindqvist.dev",
        section="",
        tags=["Compilers", "Performance"],
        body=[
            (
                "p",
                "The toy compiler I maintain for teaching took almost four seconds to build its own standard library. After a week of profiling, the same build takes under two.",
            ),
            (
                "p",
                "Most of the time went into the symbol table. Every lookup hashed the full qualified name as a string, even though the same names were looked up thousands of times.",
            ),
            ("h", "Interning names"),
            (
                "p",
                "Interning every identifier once and comparing integers afterwards removed a third of the runtime. The change touched forty lines of code.",
            ),
            (
                "p",
                "The remaining gain came from allocating syntax nodes in arenas instead of one by one.",
            ),
        ],
    ),
]

# --- templates ------------------------------------------------------------------------


def _e(text: str) -> str:
    return escape(text, quote=True)


def _body_html(a: dict, p_attrs: str = "", h_tag: str = "h2") -> str:
    parts = []
    for kind, text in a["body"]:
        if kind == "h":
            parts.append(f"<{h_tag}>{_e(text)}</{h_tag}>")
        else:
            parts.append(f"<p{p_attrs}>{_e(text)}</p>")
    return "\n".join(parts)


def _nav_items(ui: dict) -> str:
    return "".join(
        f'<li><a href="/{i}">{_e(s)}</a></li>' for i, s in enumerate([ui["home"], *ui["sections"]])
    )


def _related_cards(lang: str, cls: str = "related-card") -> str:
    return "".join(
        f'<article class="{cls}"><a href="/r/{i}"><h3>{_e(t)}</h3></a><span class="date">2024</span></article>'
        for i, t in enumerate(RELATED[lang])
    )


def _ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def wordpress(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": url.split("/20")[0] + "/#website", "name": a["site"]},
            {
                "@type": "Article",
                "headline": a["title"],
                "datePublished": a["published"],
                "author": {"@type": "Person", "name": a["author"]},
                "articleSection": [a["section"]],
                "keywords": a["tags"],
                "inLanguage": a["lang"],
            },
            {"@type": "Person", "name": a["author"]},
        ],
    }
    return f"""<!DOCTYPE html>
<html lang="{a["lang"]}-{a["lang"].upper()}">
<head><meta charset="UTF-8"><title>{_e(a["title"])} &#8211; {_e(a["site"])}</title>
<meta name="robots" content="index, follow"><link rel="canonical" href="{url}">
<meta property="og:type" content="article"><meta property="og:title" content="{_e(a["title"])}">
<meta property="og:site_name" content="{_e(a["site"])}"><meta property="article:published_time" content="{a["published"]}">
{_ld(graph)}
<link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/block-library/style.min.css' media='all'>
</head>
<body class="post-template-default single single-post postid-4127 single-format-standard wp-embed-responsive comments-open">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/" rel="home">{_e(a["site"])}</a></p><p class="site-description">Independent local journalism</p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button><ul id="primary-menu" class="menu">{_nav_items(ui)}</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-4127" class="post-4127 post type-post status-publish format-standard hentry category-news tag-related-topics">
<header class="entry-header"><h1 class="entry-title">{_e(a["title"])}</h1>
<div class="entry-meta"><span class="posted-on"><a href="{url}" rel="bookmark"><time class="entry-date published" datetime="{a["published"]}">{a["published"][:10]}</time></a></span><span class="byline"> {ui["by"]} <span class="author vcard"><a class="url fn n" href="/author/x/">{_e(a["author"])}</a></span></span></div></header>
<div class="entry-content">
{_body_html(a, h_tag="h2")}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">{_e(ui["share"])}</h3><div class="sd-content"><ul><li class="share-facebook"><a href="#">Facebook</a></li><li class="share-twitter"><a href="#">X</a></li><li class="share-email"><a href="#">Email</a></li></ul></div></div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>{_e(ui["related"])}</em></h3>{_related_cards(a["lang"], "jp-relatedposts-post")}</div>
</div>
<footer class="entry-footer"><span class="cat-links">{_e(a["section"])}</span><span class="tags-links">{_e(ui["tags"])}: {", ".join(_e(t) for t in a["tags"])}</span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links"><div class="nav-previous"><a href="/prev">{_e(RELATED[a["lang"]][1])}</a></div></div></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">{_e(ui["leave"])}</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">{_e(ui["first"])}</p><textarea id="comment" name="comment"></textarea><input name="submit" type="submit" value="{_e(ui["leave"])}"></form></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/r1">{_e(RELATED[a["lang"]][2])}</a></li></ul></section>
<section class="widget widget_mc4wp_form_widget"><h2 class="widget-title">Newsletter</h2><form class="mc4wp-form"><p>{_e(ui["news"])}</p><input type="email" placeholder="{_e(ui["email"])}"><input type="submit" value="{_e(ui["subscribe"])}"></form></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">© 2024 {_e(a["site"])} · {_e(ui["rights"])} · Proudly powered by WordPress</div></footer>
</div>
<div id="cookie-law-info-bar" data-nosnippet="true" class="cli-bar-container"><span>{_e(ui["cookie"])} <a role="button" id="cookie_action_close_header" class="cli_action_button">{_e(ui["accept"])}</a></span></div>
</body></html>"""


def ghost(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    ld = {
        "@context": "https://schema.org",
        "@type": "Article",
        "publisher": {"@type": "Organization", "name": a["site"]},
        "author": {"@type": "Person", "name": a["author"], "url": "https://example.org/author/x/"},
        "headline": a["title"],
        "url": url,
        "datePublished": a["published"],
        "keywords": ", ".join(a["tags"]),
    }
    pub = a["published"].replace("+00:00", ".000Z")
    return f"""<!DOCTYPE html>
<html lang="{a["lang"]}"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{_e(a["title"])}</title><link rel="canonical" href="{url}">
<meta property="og:site_name" content="{_e(a["site"])}"><meta property="og:type" content="article">
<meta property="og:title" content="{_e(a["title"])}"><meta property="article:published_time" content="{pub}">
<meta property="article:tag" content="{_e(a["tags"][0])}"><meta name="generator" content="Ghost 5.82">
{_ld(ld)}</head>
<body class="post-template tag-{a["tags"][0].lower()} is-head-left-logo has-cover">
<div class="viewport"><header id="gh-head" class="gh-head outer"><div class="gh-head-inner inner"><div class="gh-head-brand"><a class="gh-head-logo" href="/">{_e(a["site"])}</a></div>
<nav class="gh-head-menu"><ul class="nav">{_nav_items(ui)}</ul></nav>
<div class="gh-head-actions"><a class="gh-head-button" href="#/portal/signup" data-portal="signup">{_e(ui["subscribe"])}</a></div></div></header>
<div class="site-content"><main id="site-main" class="site-main">
<article class="article post tag-{a["tags"][0].lower()}">
<header class="article-header gh-canvas"><div class="article-tag post-card-tags"><span class="post-card-primary-tag"><a href="/tag/x/">{_e(a["tags"][0])}</a></span></div>
<h1 class="article-title">{_e(a["title"])}</h1>
<div class="article-byline"><section class="article-byline-content"><div class="article-byline-meta"><h4 class="author-name"><a href="/author/x/">{_e(a["author"])}</a></h4>
<div class="byline-meta-content"><time class="byline-meta-date" datetime="{a["published"][:10]}">{a["published"][:10]}</time><span class="byline-reading-time"><span class="bull">•</span> 3 {_e(ui["read"])}</span></div></div></section></div></header>
<section class="gh-content gh-canvas">
{_body_html(a)}
<div class="kg-card kg-signup-card"><h2 class="kg-signup-card-heading">{_e(ui["news"])}</h2><form data-members-form=""><input data-members-email placeholder="{_e(ui["email"])}"><button class="kg-signup-card-button">{_e(ui["subscribe"])}</button></form></div>
</section>
<section class="article-comments gh-canvas"><div id="ghost-comments-root"><h2>{_e(ui["comments"])}</h2><p>{_e(ui["first"])}</p></div></section>
</article></main>
<aside class="read-more-wrap outer"><div class="read-more inner"><h2 class="read-more-title">{_e(ui["related"])}</h2>{_related_cards(a["lang"], "post-card")}</div></aside>
</div>
<footer class="site-footer outer"><div class="inner"><section class="copyright"><a href="/">{_e(a["site"])}</a> © 2024 — {_e(ui["rights"])}</section><div class="gh-powered-by"><a href="https://ghost.org/">Powered by Ghost</a></div></div></footer>
</div></body></html>"""


def drupal(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    return f"""<!DOCTYPE html>
<html lang="{a["lang"]}" dir="ltr" prefix="content: http://purl.org/rss/1.0/modules/content/">
<head><meta charset="utf-8"><meta name="Generator" content="Drupal 10 (https://www.drupal.org)">
<title>{_e(a["title"])} | {_e(a["site"])}</title><link rel="canonical" href="{url}">
<meta name="description" content="{_e(a["body"][0][1][:150])}"><meta property="og:site_name" content="{_e(a["site"])}">
<meta name="author" content="{_e(a["author"])}"></head>
<body class="path-node page-node-type-article">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div class="layout-container"><header role="banner"><div class="region region-header"><div id="block-sitebranding"><a href="/" rel="home">{_e(a["site"])}</a></div></div>
<div class="region region-primary-menu"><nav role="navigation" aria-labelledby="block-mainnavigation-menu" id="block-mainnavigation"><h2 class="visually-hidden" id="block-mainnavigation-menu">Main navigation</h2><ul class="menu">{_nav_items(ui)}</ul></nav></div></header>
<div class="region region-breadcrumb"><nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><h2 id="system-breadcrumb" class="visually-hidden">Breadcrumb</h2><ol><li><a href="/">{_e(ui["home"])}</a></li><li><a href="/news">{_e(a["section"])}</a></li></ol></nav></div>
<main role="main"><a id="main-content" tabindex="-1"></a><div class="layout-content">
<div class="region region-content"><div id="block-mainpagecontent">
<article role="article" about="/node/981" class="node node--type-article node--promoted node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">{_e(a["title"])}</span></h1>
<footer class="node__meta"><div class="node__submitted">{ui["by"]} <span class="field field--name-uid field--type-entity-reference field--label-hidden"><span>{_e(a["author"])}</span></span>, <time datetime="{a["published"].replace("+00:00", "Z")}">{a["published"][:10]}</time></div></footer>
<div class="node__content">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{_body_html(a, h_tag="h3")}
</div>
<div class="field field--name-field-tags field--type-entity-reference field--label-above"><div class="field__label">{_e(ui["tags"])}</div><div class="field__items">{"".join(f'<div class="field__item"><a href="/t/{i}">{_e(t)}</a></div>' for i, t in enumerate(a["tags"]))}</div></div>
<ul class="links inline"><li class="node-readmore"><a href="/node/981" rel="tag">Read more</a></li></ul>
<section class="field field--name-comment field--type-comment field--label-above comment-wrapper"><h2 class="title comment-form__title">{_e(ui["leave"])}</h2><form class="comment-comment-form comment-form"><textarea></textarea><input type="submit" value="Save"></form></section>
</div></article></div>
<div class="views-element-container block block-views" id="block-views-block-related-content"><h2>{_e(ui["related"])}</h2><div class="view-content"><ul>{"".join(f'<li><a href="/r/{i}">{_e(t)}</a></li>' for i, t in enumerate(RELATED[a["lang"]]))}</ul></div></div>
</div></div>
<aside class="layout-sidebar-first" role="complementary"><div class="block block-simplenews"><h2>Newsletter</h2><p>{_e(ui["news"])}</p></div></aside></main>
<footer role="contentinfo"><div class="region region-footer"><p>© {_e(a["site"])} — {_e(ui["rights"])}</p></div></footer>
</div></div>
<div id="sliding-popup" class="sliding-popup-bottom eu-cookie-compliance-banner" role="alertdialog"><div class="eu-cookie-compliance-message"><p>{_e(ui["cookie"])}</p></div><button class="agree-button eu-cookie-compliance-default-button">{_e(ui["accept"])}</button></div>
</body></html>"""


def substack(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "url": url,
        "mainEntityOfPage": url,
        "headline": a["title"],
        "datePublished": a["published"],
        "dateModified": a["published"],
        "isAccessibleForFree": True,
        "author": [{"@type": "Person", "name": a["author"], "url": "https://substack.com/@x"}],
        "publisher": {"@type": "Organization", "name": a["site"]},
    }
    return f"""<!DOCTYPE html>
<html lang="{a["lang"]}"><head><meta charset="utf-8"><title>{_e(a["title"])} - by {_e(a["author"])}</title>
<meta property="og:type" content="article"><meta property="og:title" content="{_e(a["title"])}">
<meta name="author" content="{_e(a["author"])}"><link rel="canonical" href="{url}">{_ld(ld)}</head>
<body class="pc-root"><div id="entry"><div id="main" class="main typography">
<div class="main-menu" role="navigation"><div class="topbar-content"><a class="navbar-title-link" href="/">{_e(a["site"])}</a>
<div class="navbar-buttons"><button class="button primary subscribe-btn">{_e(ui["subscribe"])}</button><a class="button sign-in-link" href="/sign-in">Sign in</a></div></div></div>
<div class="single-post-container"><div class="container"><div class="single-post"><article class="typography newsletter-post post">
<div class="post-header"><h1 class="post-title published">{_e(a["title"])}</h1>
<div class="post-ufi"><div class="like-button-container post-ufi-button"><button aria-label="Like"><div class="label">12</div></button></div><a class="post-ufi-button post-ufi-comment-button" href="{url}/comments"><div class="label">3</div></a><button class="post-ufi-button share-button">Share</button></div>
<div class="post-meta-item pencraft"><a href="https://substack.com/@x">{_e(a["author"])}</a></div></div>
<div class="available-content"><div dir="auto" class="body markup">
{_body_html(a)}
<div class="subscription-widget-wrap"><div class="subscription-widget show-subscribe"><div class="preamble"><p class="cta-caption">{_e(ui["news"])}</p></div><form class="form"><input type="email" placeholder="{_e(ui["email"])}"><button type="submit">{_e(ui["subscribe"])}</button></form></div></div>
</div></div>
<div class="post-footer"><div class="post-ufi"><button class="post-ufi-button share-button">{_e(ui["share"])}</button></div></div>
</article>
<div id="discussion" class="comments-section"><h4 class="comments-heading">{_e(ui["comments"])}</h4><div class="comment-input"><textarea placeholder="{_e(ui["leave"])}"></textarea></div></div>
<div class="post-recommendations"><h4>{_e(ui["related"])}</h4>{_related_cards(a["lang"], "post-preview")}</div>
</div></div></div>
<div class="footer-wrap publication-footer"><div class="footer"><p>© 2024 {_e(a["author"])}</p><a href="https://substack.com">Start writing</a></div></div>
</div></div></body></html>"""


def blogger(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    lang_attr = "" if a.get("no_lang") else f" lang='{a['lang']}'"
    return f"""<!DOCTYPE html>
<html class='v2' dir='ltr' xmlns='http://www.w3.org/1999/xhtml'{lang_attr}>
<head><meta content='text/html; charset=UTF-8' http-equiv='Content-Type'><meta content='blogger' name='generator'>
<title>{_e(a["site"])}: {_e(a["title"])}</title><link href='{url}' rel='canonical'>
<meta content='{_e(a["title"])}' property='og:title'></head>
<body class='loading'>
<div class='navbar section' id='navbar'><div class='widget Navbar' id='Navbar1'><iframe src='about:blank' title='Blogger Navigation'></iframe></div></div>
<div class='outer-wrapper'><div class='header section' id='header'><div class='widget Header' id='Header1'><h1 class='title'><a href='/'>{_e(a["site"])}</a></h1></div></div>
<div class='tabs section' id='crosscol'><div class='widget PageList' id='PageList1'><ul><li><a href='/'>{_e(ui["home"])}</a></li><li><a href='/p/sobre.html'>Sobre / About</a></li></ul></div></div>
<div class='main-outer'><div class='main section' id='main'><div class='widget Blog' id='Blog1'><div class='blog-posts hfeed'>
<div class='date-outer'><h2 class='date-header'><span>{a["published"][:10]}</span></h2>
<div class='post-outer'><div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope' itemtype='http://schema.org/BlogPosting'>
<h3 class='post-title entry-title' itemprop='name'>{_e(a["title"])}</h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-7781' itemprop='description articleBody'>
{_body_html(a, h_tag="h4").replace("<p>", "").replace("</p>", "<br /><br />")}
</div>
<div class='post-footer'><div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>Postado por <span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'><span itemprop='name'>{_e(a["author"])}</span></span></span>
<span class='post-timestamp'>às <a class='timestamp-link' href='{url}' rel='bookmark'><abbr class='published' itemprop='datePublished' title='{a["published"]}'>{a["published"][11:16]}</abbr></a></span>
<span class='post-comment-link'></span><div class='post-share-buttons goog-inline-block'><a class='goog-inline-block share-button sb-email' href='#'><span class='share-button-link-text'>Enviar por e-mail</span></a><a class='share-button sb-blog' href='#'><span class='share-button-link-text'>Postar no blog!</span></a></div></div>
<div class='post-footer-line post-footer-line-2'><span class='post-labels'>Marcadores: {"".join(f"<a href='/search/label/{i}' rel='tag'>{_e(t)}</a> " for i, t in enumerate(a["tags"]))}</span></div></div>
</div>
<div class='comments' id='comments'><a name='comments'></a><h4>{_e(ui["comments"])}</h4><div id='Blog1_comments-block-wrapper'><dl class='avatar-comment-indent' id='comments-block'></dl></div><p class='comment-footer'><a href='#'>{_e(ui["leave"])}</a></p></div>
</div></div></div>
<div class='blog-pager' id='blog-pager'><span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='/newer'>Postagem mais recente</a></span><a class='home-link' href='/'>Página inicial</a></div>
</div></div></div>
<div class='sidebar section' id='sidebar'><div class='widget PopularPosts' id='PopularPosts1'><h2>Mais lidas / Popular</h2><div class='widget-content popular-posts'><ul>{"".join(f"<li><div class='item-title'><a href='/r/{i}'>{_e(t)}</a></div></li>" for i, t in enumerate(RELATED[a["lang"]]))}</ul></div></div>
<div class='widget FollowByEmail' id='FollowByEmail1'><h2 class='title'>{_e(ui["news"])}</h2><form><input class='follow-by-email-address' placeholder='{_e(ui["email"])}' type='text'><input class='follow-by-email-submit' type='submit' value='{_e(ui["subscribe"])}'></form></div></div>
</div>
<div class='footer-outer'><div class='widget Attribution' id='Attribution1'><div class='widget-content'>Tecnologia do <a href='https://www.blogger.com'>Blogger</a>.</div></div></div>
</div></body></html>"""


def medium(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    ld = {
        "@context": "http://schema.org",
        "@type": "NewsArticle",
        "image": ["https://miro.medium.example/1*x.jpeg"],
        "url": url,
        "dateCreated": a["published"],
        "datePublished": a["published"],
        "dateModified": a["published"],
        "headline": a["title"],
        "name": a["title"],
        "author": {"@type": "Person", "name": a["author"]},
        "creator": [a["author"]],
        "publisher": {"@type": "Organization", "name": "Medium"},
    }
    return f"""<!doctype html><html lang="{a["lang"]}"><head><title>{_e(a["title"])} | by {_e(a["author"])} | Medium</title>
<meta charset="utf-8"><meta property="og:site_name" content="Medium"><meta property="og:type" content="article">
<meta property="article:published_time" content="{a["published"]}"><meta name="author" content="{_e(a["author"])}">
<link rel="canonical" href="{url}">{_ld(ld)}</head>
<body><div id="root"><div class="a b c"><div class="l"><div class="ab ac"><div class="bn bo"><a href="/" aria-label="Homepage" data-testid="headerMediumLogo">Medium</a></div>
<div class="au"><a href="/new-story" data-testid="headerWriteButton">Write</a><a href="/m/signin" data-testid="headerSignInButton">Sign in</a></div></div></div>
<div class="dn"><div class="do"><article><div class="m"><section><div><div class="fr fs ft">
<div class="speechify-ignore"><h1 id="a1b2" class="pw-post-title gr gs gt" data-testid="storyTitle">{_e(a["title"])}</h1>
<div class="speechify-ignore ab cp"><div class="pw-author"><a data-testid="authorName" href="/@x">{_e(a["author"])}</a></div><span data-testid="storyReadTime">4 {_e(ui["read"])}</span><span data-testid="storyPublishDate">{a["published"][:10]}</span></div>
<div class="speechify-ignore ab cp"><div class="ab"><div class="pw-multi-vote-icon"><button data-testid="headerClapButton" aria-label="clap"></button></div><div class="pw-multi-vote-count"><p><button>1.3K</button></p></div></div>
<button aria-label="responses" class="ab"><p class="bf b">18</p></button><button data-testid="headerBookmarkButton" aria-label="Add to list">Save</button><button data-testid="headerSocialShareButton" aria-label="Share">Share</button></div></div>
{"".join(f'<h2 class="pw-post-body-paragraph" id="h{i}">{_e(t)}</h2>' if k == "h" else f'<p id="p{i}" class="pw-post-body-paragraph ne nf gu ng b nh">{_e(t)}</p>' for i, (k, t) in enumerate(a["body"]))}
</div></div></section></div></article></div>
<div class="ab"><div class="pw-multi-vote-count"><button>1.3K</button></div><button aria-label="responses">18</button></div>
<div class="mf"><h2 class="bf">Written by {_e(a["author"])}</h2><p>2.1K Followers</p><button>Follow</button></div>
<div class="mg"><h2>More from {_e(a["author"])}</h2>{_related_cards(a["lang"], "ab")}</div>
<div class="mh"><h2>Recommended from Medium</h2><div><a href="/r/9"><h2>Ten habits of calm engineers</h2></a></div></div>
</div><div class="footer"><a href="https://help.medium.com">Help</a><a href="https://medium.statuspage.io">Status</a><a href="/about">About</a><a href="/policy">Privacy</a></div></div></div></body></html>"""


def newsroom(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "datePublished": a["published"],
        "dateModified": a["published"],
        "inLanguage": a["lang"],
        "author": [{"@type": "Person", "name": a["author"]}],
        "articleSection": a["section"],
        "publisher": {"@type": "NewsMediaOrganization", "name": a["site"]},
        "image": [{"@type": "ImageObject", "url": "/img/lead.jpg"}],
        "keywords": a["tags"],
    }
    return f"""<!DOCTYPE html>
<html lang="{a["lang"]}" class="no-js"><head><meta charset="utf-8"><title>{_e(a["title"])} | {_e(a["section"])} | {_e(a["site"])}</title>
<meta name="description" content="{_e(a["body"][0][1][:160])}"><meta property="og:type" content="article">
<meta property="og:image" content="/img/lead.jpg"><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{a["published"]}">{_ld(ld)}</head>
<body><div id="app">
<div data-component="cookie-banner" class="dcr-consent" role="dialog" aria-modal="true"><p>{_e(ui["cookie"])}</p><button>{_e(ui["accept"])}</button></div>
<header data-component="nav" class="dcr-header"><a class="dcr-skip" href="#maincontent">Skip to main content</a><div data-testid="masthead"><a href="/">{_e(a["site"])}</a></div>
<nav aria-label="Sections" data-component="section-nav"><ul>{_nav_items(ui)}</ul></nav>
<div data-component="support-banner" class="dcr-support"><p>Support independent journalism — {_e(ui["subscribe"])}</p></div></header>
<main id="maincontent" data-layout="StandardLayout"><div class="dcr-article-grid">
<div data-gu-name="title"><div class="dcr-section-label"><a href="/s">{_e(a["section"])}</a></div><h1 class="dcr-headline">{_e(a["title"])}</h1></div>
<div data-gu-name="meta" class="dcr-meta"><address aria-label="Contributor info" data-component="meta-byline"><a rel="author" href="/profile/x">{_e(a["author"])}</a></address>
<details class="dcr-dateline"><summary><span>{a["published"][:10]}</span></summary></details>
<div data-component="share" class="dcr-share" aria-label="{_e(ui["share"])}"><a href="#">Facebook</a><a href="#">Email</a><button>Copy link</button></div>
<div class="dcr-comment-count" data-component="comment-count"><a href="#comments">231</a></div></div>
<figure data-component="main-media"><img src="/img/lead.jpg" alt=""><figcaption>Photograph: Agency</figcaption></figure>
<div data-gu-name="body" class="article-body-commercial-selector article-body-viewer-selector dcr-body">
{_body_html(a).replace("<p>", '<p class="dcr-s23rjr">', 3)}
<aside data-component="rich-link" class="dcr-rich-link"><a href="/r/0">{_e(RELATED[a["lang"]][0])}</a></aside>
</div>
<div class="ad-slot-container" aria-hidden="true"><div id="dfp-ad--inline1" class="ad-slot ad-slot--inline">Advertisement</div></div>
<div data-component="newsletter-signup" class="dcr-newsletter"><h3>{_e(ui["news"])}</h3><input placeholder="{_e(ui["email"])}"><button>{_e(ui["subscribe"])}</button></div>
<div class="submeta"><span class="submeta__label">{_e(ui["tags"])}</span><ul class="submeta__links">{"".join(f'<li><a href="/t/{i}">{_e(t)}</a></li>' for i, t in enumerate(a["tags"]))}</ul></div>
</div>
<section data-component="more-on-this-story" class="dcr-onward"><h2>{_e(ui["related"])}</h2><ul>{"".join(f'<li><a href="/r/{i}"><h3>{_e(t)}</h3></a></li>' for i, t in enumerate(RELATED[a["lang"]]))}</ul></section>
<section id="comments" data-component="discussion"><h2>{_e(ui["comments"])} (231)</h2><p>{_e(ui["first"])}</p></section>
<section data-component="most-popular" class="dcr-most-viewed"><h2>Most viewed</h2><ol><li><a href="/m1">Ten habits of calm engineers</a></li></ol></section>
</main>
<footer data-component="footer"><ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li></ul><p>© 2024 {_e(a["site"])}. {_e(ui["rights"])}.</p></footer>
</div></body></html>"""


def joomla(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    return f"""<!DOCTYPE html>
<html lang="{a["lang"]}-{"DE" if a["lang"] == "de" else "RU"}" dir="ltr"><head><meta charset="utf-8">
<meta name="author" content="{_e(a["author"])}"><meta name="generator" content="Joomla! - Open Source Content Management">
<title>{_e(a["title"])} - {_e(a["site"])}</title><link href="{url}" rel="canonical"></head>
<body class="site com_content wrapper-static view-article layout-blog no-task itemid-112">
<header class="header container-header full-width"><div class="grid-child"><div class="navbar-brand"><a class="brand-logo" href="/"><span title="{_e(a["site"])}">{_e(a["site"])}</span></a></div></div>
<div class="grid-child container-nav"><ul class="mod-menu mod-list nav ">{_nav_items(ui)}</ul>
<div class="moduletable "><div class="mod-finder js-finder-searchform"><form class="mod-finder js-finder-searchform form-search" role="search"><label for="mod-finder-searchword" class="visually-hidden finder">Suchen</label><input type="text" name="q" id="mod-finder-searchword"></form></div></div></div></header>
<div class="site-grid"><div class="grid-child container-component">
<nav class="mod-breadcrumbs__wrapper" aria-label="Breadcrumbs"><ol class="mod-breadcrumbs breadcrumb px-3 py-2"><li class="mod-breadcrumbs__item breadcrumb-item"><a href="/">{_e(ui["home"])}</a></li><li class="mod-breadcrumbs__item breadcrumb-item active"><span>{_e(a["section"])}</span></li></ol></nav>
<main><div class="com-content-article item-page" itemscope itemtype="https://schema.org/Article"><meta itemprop="inLanguage" content="{a["lang"]}">
<div class="page-header"><h1 itemprop="headline">{_e(a["title"])}</h1></div>
<dl class="article-info text-muted"><dt class="article-info-term">Details</dt>
<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person"><span class="icon-user icon-fw" aria-hidden="true"></span>{ui["by"]} <span itemprop="name">{_e(a["author"])}</span></dd>
<dd class="category-name"><span class="icon-folder-open icon-fw" aria-hidden="true"></span>Kategorie: <a href="/c" itemprop="genre">{_e(a["section"])}</a></dd>
<dd class="published"><span class="icon-calendar icon-fw" aria-hidden="true"></span><time datetime="{a["published"]}" itemprop="datePublished">{a["published"][:10]}</time></dd>
<dd class="hits"><span class="icon-eye icon-fw" aria-hidden="true"></span><meta itemprop="interactionCount" content="UserPageVisits:1204">{_e(ui["views"])}</dd></dl>
<div itemprop="articleBody" class="com-content-article__body">
{_body_html(a, h_tag="h3")}
</div>
<ul class="tags list-inline">{"".join(f'<li class="list-inline-item tag-{i} tag-list0"><a href="/tags/{i}" class="btn btn-sm btn-info">{_e(t)}</a></li>' for i, t in enumerate(a["tags"]))}</ul>
<nav class="pagenavigation" aria-label="Seitennavigation"><span class="pagination ms-0"><a class="btn btn-sm btn-secondary previous" href="/p" rel="prev"><span aria-hidden="true">‹</span> {_e(RELATED[a["lang"]][0])}</a></span></nav>
</div></main></div>
<div class="grid-child container-sidebar-right"><div class="sidebar-right card "><h3 class="card-header ">{_e(ui["related"])}</h3><div class="card-body"><ul class="mod-relateditems relateditems mod-list">{"".join(f'<li><a href="/r/{i}">{_e(t)}</a></li>' for i, t in enumerate(RELATED[a["lang"]]))}</ul></div></div>
<div class="sidebar-right card "><h3 class="card-header ">Newsletter</h3><div class="card-body acymailing_module"><p>{_e(ui["news"])}</p><input type="email" placeholder="{_e(ui["email"])}"><button>{_e(ui["subscribe"])}</button></div></div></div></div>
<footer class="container-footer footer full-width"><div class="grid-child"><p>© 2024 {_e(a["site"])} — {_e(ui["rights"])}</p></div></footer>
<a href="#top" id="back-top" class="back-to-top-link" aria-label="Back to Top"><span class="icon-arrow-up icon-fw" aria-hidden="true"></span></a>
<div id="cookieConsent" class="cookie-consent"><p>{_e(ui["cookie"])}</p><button>{_e(ui["accept"])}</button></div>
</body></html>"""


def squarespace(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    pub = a["published"][:-3] + a["published"][-2:]  # -04:00 -> -0400, as Squarespace prints it
    return f"""<!doctype html>
<html xmlns:og="http://opengraphprotocol.org/schema/" lang="{a["lang"]}-{"US" if a["lang"] == "en" else "FR"}">
<head><meta charset="utf-8"><title>{_e(a["title"])} — {_e(a["site"])}</title>
<meta property="og:site_name" content="{_e(a["site"])}"><meta property="og:title" content="{_e(a["title"])}">
<meta property="og:type" content="article"><meta itemprop="author" content="{_e(a["author"])}">
<meta itemprop="datePublished" content="{pub}"><meta itemprop="headline" content="{_e(a["title"])}">
<link rel="canonical" href="{url}"><!-- This is Squarespace. --></head>
<body id="collection-5f1a" class="header-layout--with-commerce view-item collection-type-blog-basic-grid">
<div class="sqs-announcement-bar-dropzone"><div class="sqs-announcement-bar"><p>{_e(ui["news"])}</p></div></div>
<header data-test="header" id="header" class="header theme-col--primary"><div class="header-title-text"><a href="/">{_e(a["site"])}</a></div>
<div class="header-nav"><nav class="header-nav-list">{"".join(f'<div class="header-nav-item"><a href="/{i}">{_e(s)}</a></div>' for i, s in enumerate(ui["sections"]))}</nav></div></header>
<main id="page" class="container" role="main"><article class="sections" id="sections" data-page-sections="6">
<section class="page-section"><div class="content-wrapper"><div class="content"><div class="blog-item-wrapper">
<article class="entry h-entry hentry author-x post-type-text article-index-1">
<div class="blog-item-top-wrapper"><div class="blog-item-title"><h1 class="entry-title entry-title--large p-name" data-content-field="title">{_e(a["title"])}</h1></div>
<div class="blog-item-meta-wrapper"><div class="blog-meta-item blog-meta-item--author"><a href="/blog?author=x" class="blog-author">{_e(a["author"])}</a></div>
<time class="dt-published blog-meta-item blog-meta-item--date" datetime="{a["published"][:10]}">{a["published"][:10]}</time></div></div>
<div class="blog-item-content-wrapper"><div class="blog-item-content e-content"><div class="sqs-layout sqs-grid-12 columns-12" data-type="item">
<div class="row sqs-row"><div class="col sqs-col-12 span-12"><div class="sqs-block html-block sqs-block-html" data-block-type="2"><div class="sqs-block-content"><div class="sqs-html-content">
{_body_html(a, h_tag="h3")}
</div></div></div>
<div class="sqs-block newsletter-block sqs-block-newsletter" data-block-type="51"><div class="newsletter-form-wrapper"><h2 class="newsletter-form-header-title">{_e(ui["news"])}</h2><form><input type="email" placeholder="{_e(ui["email"])}"><button class="newsletter-form-button">{_e(ui["subscribe"])}</button></form></div></div>
</div></div></div></div></div>
<div class="blog-item-comments"><div class="squarespace-comments"><div class="comment-header">{_e(ui["comments"])}</div><div class="comment-btn">{_e(ui["leave"])}</div></div></div>
<div class="blog-item-pagination"><section class="item-pagination item-pagination--prev-next"><a href="/p" class="item-pagination-link--prev"><div class="item-pagination-prev-next">Previous</div><h2 class="item-pagination-title">{_e(RELATED[a["lang"]][0])}</h2></a></section></div>
</article></div></div></div></section></article></main>
<footer class="sections" id="footer-sections" data-footer-sections><section class="page-section"><div class="sqs-block social-links"><a href="https://instagram.example">Instagram</a></div><p>© 2024 {_e(a["site"])}. {_e(ui["rights"])}.</p></section></footer>
<div class="sqs-cookie-banner-v2-container" role="region" aria-label="Cookie banner"><div class="sqs-cookie-banner-v2"><p>{_e(ui["cookie"])}</p><button class="sqs-cookie-banner-v2-accept">{_e(ui["accept"])}</button></div></div>
</body></html>"""


def hugo(a: dict, url: str) -> str:
    ui = UI[a["lang"]]
    return f"""<!DOCTYPE html>
<html lang="{a["lang"]}"><head><meta charset="utf-8"><meta name="generator" content="Hugo 0.125.4">
<title>{_e(a["title"])} | {_e(a["site"])}</title><meta name="description" content="{_e(a["body"][0][1][:120])}">
<meta name="author" content="{_e(a["author"])}"><meta property="og:type" content="article">
<meta property="article:published_time" content="{a["published"]}"><meta property="article:section" content="posts">
{"".join(f'<meta property="article:tag" content="{_e(t)}">' for t in a["tags"])}
<link rel="canonical" href="{url}"></head>
<body class="list"><header class="header"><nav class="nav"><div class="logo"><a href="/" accesskey="h" title="{_e(a["site"])} (Alt + H)">{_e(a["site"])}</a></div>
<ul id="menu"><li><a href="/posts/" title="Posts"><span>Posts</span></a></li><li><a href="/tags/" title="Tags"><span>{_e(ui["tags"])}</span></a></li><li><a href="/about/"><span>About</span></a></li></ul></nav></header>
<main class="main"><article class="post-single"><header class="post-header">
<div class="breadcrumbs"><a href="/">{_e(ui["home"])}</a>&nbsp;»&nbsp;<a href="/posts/">Posts</a></div>
<h1 class="post-title entry-hint-parent">{_e(a["title"])}</h1>
<div class="post-meta"><span title="{a["published"]}">{a["published"]}</span>&nbsp;·&nbsp;4 {_e(ui["read"])}&nbsp;·&nbsp;{_e(a["author"])}</div></header>
<div class="toc"><details><summary accesskey="c" title="(Alt + C)"><span class="details">Table of Contents</span></summary><div class="inner"><ul><li><a href="#x">{_e(next(t for k, t in a["body"] if k == "h"))}</a></li></ul></div></details></div>
<div class="post-content">
{_body_html(a)}
</div>
<footer class="post-footer"><ul class="post-tags">{"".join(f'<li><a href="/tags/{i}/">{_e(t)}</a></li>' for i, t in enumerate(a["tags"]))}</ul>
<nav class="paginav"><a class="prev" href="/p/"><span class="title">« Prev</span><br><span>{_e(RELATED[a["lang"]][0])}</span></a></nav>
<ul class="share-buttons"><li><a target="_blank" rel="noopener noreferrer" aria-label="share on x" href="#">x</a></li><li><a aria-label="share on linkedin" href="#">in</a></li></ul></footer>
</article></main>
<footer class="footer"><span>© 2024 <a href="/">{_e(a["site"])}</a></span> · <span>Powered by <a href="https://gohugo.io/">Hugo</a></span></footer>
<a href="#top" aria-label="go to top" title="Go to Top (Alt + G)" class="top-link" id="top-link" accesskey="g">↑</a>
</body></html>"""


TEMPLATES = {
    "wordpress": wordpress,
    "ghost": ghost,
    "drupal": drupal,
    "substack": substack,
    "blogger": blogger,
    "medium": medium,
    "newsroom": newsroom,
    "joomla": joomla,
    "squarespace": squarespace,
    "hugo": hugo,
}


def _boiler_phrases(a: dict) -> list[str]:
    ui = UI[a["lang"]]
    common = [ui["cookie"], ui["news"], ui["first"], ui["rights"], *RELATED[a["lang"]]]
    per_cms = {
        "wordpress": [ui["share"], "Skip to content", "Proudly powered by WordPress", ui["leave"]],
        "ghost": ["Powered by Ghost", ui["comments"]],
        "drupal": ["Skip to main content", "Main navigation", ui["leave"]],
        "substack": ["Start writing", ui["comments"]],
        "blogger": ["Postagem mais recente", "Enviar por e-mail", "Tecnologia do"],
        "medium": ["Recommended from Medium", "2.1K Followers", "Ten habits of calm engineers"],
        "newsroom": [
            "Support independent journalism",
            "Most viewed",
            "Photograph: Agency",
            "Advertisement",
        ],
        "joomla": [ui["views"], ui["related"]],
        "squarespace": [ui["comments"], ui["leave"], "Previous"],
        "hugo": ["Table of Contents", "Powered by", "« Prev"],
    }
    return [p for p in common + per_cms[a["cms"]] if p]


def articles() -> list[tuple[str, str, str, dict]]:
    out = []
    for a in ARTICLES:
        url = f"https://{a['cms']}.example.org/{a['published'][:4]}/{a['name']}/"
        html = TEMPLATES[a["cms"]](a, url)
        expected = {
            "title": a["title"],
            "author": a["author"],
            "published": a["published"],
            "language": a["lang"],
            "page_type": "article",
            "must_include": [t for _k, t in a["body"]],
            "must_exclude": [*_boiler_phrases(a), a["title"]],
            "headings": [t for k, t in a["body"] if k == "h"],
        }
        out.append((a["name"], html, url, expected))
    return out


# --- listing pages --------------------------------------------------------------------

_TEASERS = {
    "en": [
        (
            "Harbour wall repairs to start in June",
            "Work on the damaged section will close the east pier for eight weeks.",
        ),
        (
            "School bus timetable changes from Monday",
            "Three rural routes move to earlier departures.",
        ),
        (
            "Library extends weekend opening",
            "The reading rooms will stay open until six on Sundays.",
        ),
        ("New cycle lane divides opinion", "Shop owners and cyclists disagree over loading bays."),
        ("Farmers market moves to the square", "Stallholders hope for more passing trade."),
        ("Hospital car park fees frozen", "The health board has delayed a planned increase."),
        ("Choir celebrates fifty years", "Former members return for an anniversary concert."),
        ("Storm damage closes coastal path", "Rangers expect repairs to take a month."),
        ("Swimming pool reopens after refit", "The new changing rooms are fully accessible."),
    ],
    "fr": [
        ("La rénovation du pont Wilson prendra deux ans", "Les travaux commenceront à l'automne."),
        ("Nouveaux horaires pour les bus de nuit", "Trois lignes circuleront jusqu'à deux heures."),
        ("La médiathèque ouvre le dimanche", "Une expérimentation de six mois débute en mars."),
        (
            "Les marchés de producteurs se multiplient",
            "Huit communes accueillent un nouveau marché.",
        ),
        ("Un festival de jazz dans les caves", "Douze concerts sont programmés en juillet."),
        ("Les piscines passent à l'énergie solaire", "Deux bassins seront chauffés par panneaux."),
        (
            "La ligne de tram prolongée vers le nord",
            "Quatre stations supplémentaires sont prévues.",
        ),
        ("Un nouveau refuge pour les animaux", "L'association cherche des bénévoles."),
    ],
    "de": [
        ("Stadtwerke senken Fernwärmepreise", "Die Entlastung gilt ab dem ersten April."),
        ("Neue Radwege am Ring geplant", "Der Bauausschuss berät im Mai."),
        ("Freibad öffnet früher als sonst", "Die Saison beginnt bereits Anfang Mai."),
        ("Wochenmarkt bekommt neue Stände", "Ein Imker und eine Käserei sind neu dabei."),
        (
            "Stadtbibliothek verlängert Öffnungszeiten",
            "Samstags bleibt sie bis achtzehn Uhr offen.",
        ),
        ("Sanierung der Grundschule beginnt", "Die Klassen ziehen in Container um."),
        ("Theater zeigt Uraufführung", "Das Stück spielt in einer Fabrik."),
        ("Baustelle sperrt Hauptstraße", "Umleitungen sind ausgeschildert."),
    ],
    "pt": [
        ("Receita de bolo de fubá cremoso", "Simples, rápido e perfeito para o café da tarde."),
        ("Como fazer feijão tropeiro", "O clássico mineiro passo a passo."),
        ("Doce de leite caseiro no fogão", "Paciência é o ingrediente principal."),
        ("Biscoito de polvilho assado", "Crocante por fora e oco por dentro."),
        ("Canjica com amendoim", "Para as festas juninas."),
        ("Frango com quiabo", "Receita de domingo na casa da vó."),
        ("Pudim de leite sem furinhos", "O truque está no banho-maria."),
        ("Broa de milho da roça", "Fofinha e cheirosa."),
    ],
}


def _listing_newsroom(lang: str) -> str:
    ui = UI[lang]
    items = "".join(
        f'<li class="fc-item"><div class="fc-item__container"><a class="fc-item__link" href="/n/{i}"><h3 class="fc-item__title"><span class="fc-item__headline">{_e(h)}</span></h3></a>'
        f'<div class="fc-item__standfirst">{_e(s)}</div><time class="fc-item__timestamp" datetime="2024-05-0{i % 9 + 1}">2024</time></div></li>'
        for i, (h, s) in enumerate(_TEASERS[lang])
    )
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{_e(ui["sections"][0])} | The Daily Ledger</title>
<meta property="og:type" content="website"><link rel="canonical" href="https://news.example.org/{lang}/section"></head>
<body><header><nav aria-label="Sections"><ul>{_nav_items(ui)}</ul></nav></header>
<main><h1 class="fc-container__title">{_e(ui["sections"][0])}</h1><section class="fc-container"><ul class="fc-slice">{items}</ul></section>
<div class="pagination"><a href="?page=2">2</a><a href="?page=3">3</a></div></main>
<footer><p>© 2024 The Daily Ledger. {_e(ui["rights"])}.</p></footer></body></html>"""


def _listing_wordpress_tag(lang: str) -> str:
    ui = UI[lang]
    items = "".join(
        f'<article class="post type-post status-publish hentry"><header class="entry-header"><h2 class="entry-title"><a href="/p/{i}" rel="bookmark">{_e(h)}</a></h2>'
        f'<div class="entry-meta"><time datetime="2024-04-1{i % 9}">2024</time></div></header><div class="entry-summary"><p>{_e(s)}</p></div>'
        f'<footer class="entry-footer"><a href="/p/{i}" class="more-link">Lire la suite</a></footer></article>'
        for i, (h, s) in enumerate(_TEASERS[lang])
    )
    return f"""<!DOCTYPE html><html lang="{lang}-FR"><head><meta charset="UTF-8"><title>Mobilité &#8211; La Gazette de Loire</title>
<meta property="og:type" content="website"><link rel="canonical" href="https://gazette.example.org/tag/mobilite/">
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[{{"@type":"CollectionPage","name":"Mobilité"}}]}}</script></head>
<body class="archive tag tag-mobilite hfeed"><div id="page" class="site"><header id="masthead" class="site-header"><nav class="main-navigation"><ul>{_nav_items(ui)}</ul></nav></header>
<div id="primary" class="content-area"><main id="main" class="site-main"><header class="page-header"><h1 class="page-title">Étiquette : <span>Mobilité</span></h1></header>
{items}
<nav class="navigation pagination"><div class="nav-links"><a class="next page-numbers" href="/page/2/">Suivant</a></div></nav></main></div>
<aside class="widget-area"><section class="widget"><h2 class="widget-title">Archives</h2><ul><li><a href="/2024/04/">avril 2024</a></li></ul></section></aside>
<footer class="site-footer"><p>{_e(ui["rights"])}</p></footer></div></body></html>"""


def _listing_ghost_home(lang: str) -> str:
    items = "".join(
        f'<article class="post-card post"><a class="post-card-image-link" href="/p/{i}/"><img class="post-card-image" src="/i/{i}.jpg" alt=""></a>'
        f'<div class="post-card-content"><a class="post-card-content-link" href="/p/{i}/"><header class="post-card-header"><h2 class="post-card-title">{_e(h)}</h2></header>'
        f'<div class="post-card-excerpt"><p>{_e(s)}</p></div></a><footer class="post-card-meta"><time datetime="2024-03-0{i % 9 + 1}">2024</time><span class="post-card-meta-length">3 min read</span></footer></div></article>'
        for i, (h, s) in enumerate(_TEASERS[lang])
    )
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Coastlines</title>
<meta property="og:type" content="website"><meta property="og:site_name" content="Coastlines"><link rel="canonical" href="https://coastlines.example.org/">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"WebSite","name":"Coastlines","url":"https://coastlines.example.org/"}}</script></head>
<body class="home-template"><div class="viewport"><header id="gh-head" class="gh-head"><a class="gh-head-logo" href="/">Coastlines</a><nav class="gh-head-menu"><ul class="nav"><li><a href="/">Home</a></li><li><a href="/about/">About</a></li></ul></nav></header>
<main id="site-main" class="site-main outer"><div class="inner posts"><div class="post-feed">{items}</div></div></main>
<footer class="site-footer outer"><div class="inner"><section class="copyright">Coastlines © 2024</section></div></footer></div></body></html>"""


def _listing_blogger_label(lang: str) -> str:
    items = "".join(
        f"<div class='post-outer'><div class='post hentry'><h3 class='post-title entry-title'><a href='/2024/0{i % 9 + 1}/r{i}.html'>{_e(h)}</a></h3>"
        f"<div class='post-body entry-content'><div class='snippet'>{_e(s)}</div></div><div class='jump-link'><a href='/2024/0{i % 9 + 1}/r{i}.html'>Leia mais »</a></div></div></div>"
        for i, (h, s) in enumerate(_TEASERS[lang])
    )
    return f"""<!DOCTYPE html><html class='v2' dir='ltr' lang='{lang}'><head><meta content='text/html; charset=UTF-8' http-equiv='Content-Type'>
<title>Cozinha da Bia: Receitas</title><link href='https://cozinhadabia.example.org/search/label/Receitas' rel='canonical'></head>
<body><div class='header section' id='header'><h1 class='title'><a href='/'>Cozinha da Bia</a></h1></div>
<div class='main section' id='main'><div class='widget Blog' id='Blog1'><div class='status-msg-wrap'><div class='status-msg-body'>Mostrando postagens com marcador <b>Receitas</b>. <a href='/'>Mostrar todas as postagens</a></div></div>
<div class='blog-posts hfeed'>{items}</div><div class='blog-pager' id='blog-pager'><a class='blog-pager-older-link' href='/search?updated-max=x'>Postagens mais antigas</a></div></div></div>
<div class='footer-outer'>Tecnologia do Blogger.</div></body></html>"""


def _listing_drupal_term(lang: str) -> str:
    items = "".join(
        f'<div class="views-row"><article class="node node--type-article node--view-mode-teaser"><h2 class="node__title"><a href="/node/{i}" rel="bookmark"><span>{_e(h)}</span></a></h2>'
        f'<div class="node__content"><div class="field field--name-body field--type-text-with-summary field--label-hidden field__item"><p>{_e(s)}</p></div>'
        f'<ul class="links inline"><li class="node-readmore"><a href="/node/{i}">Weiterlesen</a></li></ul></div></article></div>'
        for i, (h, s) in enumerate(_TEASERS[lang])
    )
    return f"""<!DOCTYPE html><html lang="{lang}" dir="ltr"><head><meta charset="utf-8"><meta name="Generator" content="Drupal 10">
<title>Stadtleben | Stadtanzeiger</title><link rel="canonical" href="https://stadtanzeiger.example.org/taxonomy/term/12"></head>
<body class="path-taxonomy"><header role="banner"><nav role="navigation"><ul class="menu"><li><a href="/">Startseite</a></li></ul></nav></header>
<main role="main"><h1 class="page-title">Stadtleben</h1><div class="views-element-container"><div class="view view-taxonomy-term view-display-id-page_1">
<div class="view-content">{items}</div><nav class="pager" role="navigation"><ul class="pager__items"><li class="pager__item"><a href="?page=1">Nächste Seite</a></li></ul></nav></div></div></main>
<footer role="contentinfo"><p>Stadtanzeiger</p></footer></body></html>"""


def listings() -> list[tuple[str, str, str, dict]]:
    pages = [
        (
            "listing-newsroom-section-en",
            _listing_newsroom("en"),
            "https://news.example.org/en/section",
            "en",
        ),
        (
            "listing-wordpress-tag-fr",
            _listing_wordpress_tag("fr"),
            "https://gazette.example.org/tag/mobilite/",
            "fr",
        ),
        (
            "listing-ghost-home-en",
            _listing_ghost_home("en"),
            "https://coastlines.example.org/",
            "en",
        ),
        (
            "listing-blogger-label-pt",
            _listing_blogger_label("pt"),
            "https://cozinhadabia.example.org/search/label/Receitas",
            "pt",
        ),
        (
            "listing-drupal-term-de",
            _listing_drupal_term("de"),
            "https://stadtanzeiger.example.org/taxonomy/term/12",
            "de",
        ),
    ]
    return [
        (name, html, url, {"page_type": "listing", "language": lang})
        for name, html, url, lang in pages
    ]
