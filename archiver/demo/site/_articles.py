"""Article texts of the bundled demo site (read by ``_build.py``).

Everything here is invented: the town of Port Alder, its people, its newspaper and its
blog.  Each article is a dict; ``body`` holds paragraphs separated by blank lines,
``## `` starts a subheading and ``> `` a quotation.  ``phrase`` is a distinctive
phrase of the body, used by the tests to look the article up in the archive.
``discovery`` is ``"links"`` (linked from pages), ``"sitemap-only"`` or ``"feed-only"``.
"""

from __future__ import annotations

ARTICLES: list[dict[str, object]] = [
    # ---------------------------------------------------------------- WordPress news
    {
        "style": "wp",
        "slug": "council-approves-new-ferry-timetable",
        "lang": "en",
        "section": "city",
        "date": "2024-06-12T07:45:00+01:00",
        "modified": "2024-06-12T11:20:00+01:00",
        "author": "Maren Holt",
        "title": "Council approves new ferry timetable after two-year dispute",
        "description": "Crossings to Gull Island will run every forty minutes from July, "
        "ending a long row between the council and the operator.",
        "tags": ["ferries", "council", "transport"],
        "phrase": "Lindqvist ferry timetable",
        "body": """
Port Alder's harbour council voted nine to two on Tuesday evening to adopt a new
ferry timetable, closing a dispute with the island operator that has dragged on since
the spring of 2022. From the first week of July, crossings to Gull Island will leave
the north quay every forty minutes between six in the morning and ten at night.

The plan, known in the council chamber as the Lindqvist ferry timetable after the
transport officer who drafted it, trades two late-night sailings for a denser
daytime service. Commuters had complained for months that the current hourly
pattern left them either forty minutes early or ten minutes late for the first shift
at the island fish plant.

## A compromise on fares

The operator, Sound Line Ferries, had argued that more frequent departures would
cost an extra crew and asked for a fare rise of fifteen percent. Councillors agreed
instead to a six percent rise for single tickets, while the price of the monthly pass
stays frozen until next April. The difference will be covered by a one-off grant from
the regional transport fund.

> "Nobody got everything they wanted, which is usually the sign of a fair deal,"
> said council leader Ana Birkett after the vote.

The two councillors who voted against, both from the island ward, said the loss of
the 23:10 sailing would strand hospitality workers who finish late in town. The
operator has promised a taxi-boat on request on Friday and Saturday nights during a
trial period of six months.

## What changes for passengers

Timetables will be posted at both terminals by the end of the month, and the new
departure times will appear in the journey planner on the council website from 20
June. Season ticket holders do not need to renew their cards. Cyclists will keep
their free places on the car deck, though the number of bicycle spaces on the
smaller winter vessel drops from twelve to eight.

The council will review passenger numbers in January and publish the figures.
""",
    },
    {
        "style": "wp",
        "slug": "cannery-reopens-as-cooperative",
        "lang": "en",
        "section": "business",
        "date": "2024-06-10T06:30:00+01:00",
        "author": "Tomas Reyes",
        "title": "Old cannery reopens as a workers' cooperative with 140 jobs",
        "description": "Three years after the Brack Brothers cannery closed, former "
        "employees have bought the plant and restarted the lines.",
        "tags": ["fishing", "jobs", "cooperatives"],
        "phrase": "smoked mackerel in recyclable tins",
        "body": """
The smell of brine and woodsmoke returned to the east end of Port Alder this week as
the old Brack Brothers cannery restarted its lines, this time owned by the people who
work there. One hundred and forty members of the new Alder Fish Cooperative each put
in a share of two thousand pounds, and a community bond raised the rest of the
purchase price.

The plant closed in 2021 when the family firm that had run it for four generations
failed to find a buyer. The machinery sat idle under dust sheets while the building
was offered, without success, to developers who wanted to turn the waterfront site
into flats.

## Smaller range, higher prices

The cooperative will start with a narrow range: sardines in olive oil, crab paste and
smoked mackerel in recyclable tins, all sold under a new label drawn by a local
illustrator. Managing member Elsie Carrow said the aim was not to compete with
supermarket own brands but to sell a premium product to delicatessens and to the
tourist trade.

> "We tried to out-cheap everybody for twenty years and it closed the place down.
> This time we are going to be good rather than cheap," Carrow said.

Members have agreed to a pay ratio of three to one between the highest and lowest
paid roles, and every worker gets one vote at the annual meeting regardless of the
number of shares they hold. Profits will first go to paying down the bond, which
offers investors four percent a year over seven years.

## Boats already signed up

Six local boats have signed supply contracts that guarantee a minimum price per
kilo, a condition the fishermen's association had demanded before backing the plan.
The cooperative has also applied for a sustainability certificate, which inspectors
are expected to assess in the autumn.

The regional development agency, which lent the group an adviser for a year, said
similar buyouts in two other coastal towns were still trading after five years.
""",
    },
    {
        "style": "wp",
        "slug": "record-seabird-nests-on-gull-rock",
        "lang": "en",
        "section": "science",
        "date": "2024-06-07T09:00:00+01:00",
        "author": "Priya Nandakumar",
        "title": "Volunteers count record number of seabird nests on Gull Rock",
        "description": "The annual survey found more than 2,300 occupied nests, the "
        "highest figure since counts began in 1987.",
        "tags": ["wildlife", "birds", "volunteers"],
        "phrase": "kittiwake ledges on the western cliff",
        "body": """
Volunteers who spent four days clinging to the slopes of Gull Rock with clipboards and
binoculars have counted 2,314 occupied seabird nests, the highest total since the
Port Alder Natural History Society began its annual survey in 1987.

The largest rise was on the kittiwake ledges on the western cliff, where the team
recorded 611 nests compared with 402 last year. Guillemots, which nest in dense
colonies and are counted as individual birds on the ledges rather than as nests,
also increased, though more modestly.

## Rats removed, birds returned

Survey leader Dr Hannah Oyelaran said the figures showed the effect of the rat
eradication project carried out on the rock three winters ago. Brown rats, which
arrived on the island with supply boats in the nineteenth century, eat eggs and
chicks of ground-nesting birds.

> "We expected a recovery, but not this fast. Puffins have started digging burrows
> on the grassy top for the first time in living memory," she said.

Only eleven puffin burrows were confirmed as occupied, but the society regards the
number as significant because none had been recorded since the 1960s. Volunteers use
small cameras on poles to check whether a burrow holds an egg without disturbing the
adults.

## Warm water remains a worry

Not every species is doing well. The number of Arctic tern nests on the low shingle
spit fell by a third, and researchers suspect that a shortage of sand eels in warmer
coastal water is making it hard for the terns to feed their young. The society will
fit two nests with tiny cameras to record what the adults bring back.

Landing on Gull Rock is forbidden between April and August without a permit. The
survey team travelled with the harbour master's launch and kept to marked paths.
The full report will be published on the society's website in September, with
counts broken down by species and by section of cliff.
""",
    },
    {
        "style": "wp",
        "slug": "customs-house-library-annex",
        "lang": "en",
        "section": "culture",
        "date": "2024-06-03T10:15:00+01:00",
        "author": "Maren Holt",
        "title": "Old customs house to become a public library annex",
        "description": "The listed building on Quay Street will house a reading room, "
        "a local history archive and a makerspace.",
        "tags": ["libraries", "heritage", "council"],
        "phrase": "ledgers of the excise officers",
        "body": """
The Georgian customs house on Quay Street, empty since the border agency moved to an
office park outside town in 2016, will reopen next spring as an annex of Port Alder
public library. The council's planning committee approved the change of use on
Monday, subject to conditions set by the heritage body that protects the building.

The ground floor, where merchants once queued to declare cargoes of timber and wine,
will become a reading room with long tables and charging points. The upper floors
will house the town's local history archive, which has outgrown its basement at the
main library, and a small makerspace with a laser cutter and two 3D printers.

## Records coming home

Among the first items to move in will be the ledgers of the excise officers who
worked in the building between 1790 and 1880. The volumes were transferred to the
county record office in the 1970s and will come back on long-term loan. Archivist
Daniel Foy said volunteers had already begun transcribing them.

> "You can follow a single barrel of brandy from the ship to the warehouse to the
> man who was fined for hiding it. The town's whole economy is in these books."

The conversion will cost about 1.4 million pounds, most of it from a heritage grant.
The council is contributing two hundred thousand pounds from the sale of a former
depot, and a public appeal for the makerspace equipment has raised just over
eighteen thousand pounds so far.

## Concerns about opening hours

Some residents at the committee meeting asked whether the library service, which
cut opening hours at two branches last year, could afford to staff another building.
Head of libraries Rosa Menzies said the annex would open four days a week to begin
with and that the archive would rely partly on trained volunteers. Self-service
lending machines will be installed in the reading room.

Builders are expected on site in August. The building's cast-iron railings, removed
for safety in 2019, will be restored and put back.
""",
    },
    {
        "style": "wp",
        "slug": "rowing-club-wins-coastal-race",
        "lang": "en",
        "section": "sport",
        "date": "2024-05-27T18:40:00+01:00",
        "author": "Callum Drury",
        "title": "Rowing club wins regional coastal race in heavy swell",
        "description": "Port Alder's women's four came from behind in the final mile "
        "to take the Headland Trophy for the first time.",
        "tags": ["rowing", "clubs"],
        "phrase": "flooded the bow compartment",
        "body": """
Port Alder Rowing Club's women's coxed four won the Headland Trophy on Sunday,
overtaking the defending champions from Saltmere in the final mile of a race that
organisers came close to cancelling because of the swell.

Eleven crews set off from the harbour mouth in a stiff westerly, with waves of up to
a metre and a half on the open stretch around the headland. Two boats retired after
a wave flooded the bow compartment, and the safety launches spent much of the
afternoon shepherding crews away from the rocks below the lighthouse.

## Tactics in the lee

Port Alder sat in fourth place at the turning buoy, more than twenty seconds behind
Saltmere. Cox Jodie Amankwah steered her crew close inshore on the return leg, where
the headland gave some shelter from the wind, while the leading boats stayed in
deeper water.

> "It was a gamble. If we had caught a rock we would have been swimming home. But the
> water was flatter in there and the girls just kept the rate up," Amankwah said.

The crew crossed the line eight seconds ahead of Saltmere after fifty-one minutes of
racing, with the hosts from Kestle Bay third. It is the first time the trophy, first
contested in 1952, has been won by a crew from Port Alder.

## A young squad

Three of the four rowers joined the club's beginners' course less than three years
ago. Stroke Megan Varley, a nurse at the regional hospital, said the crew trained
four mornings a week before work through the winter, often in the dark.

The men's four finished sixth. Club captain Peter Onslow said the result would help
the club's bid for lottery funding to replace its oldest boat, a wooden gig built in
1979 that now needs patching after almost every outing. The club holds an open day
for new members on the first Saturday of July.
""",
    },
    {
        "style": "wp",
        "slug": "quay-street-storm-drains",
        "lang": "en",
        "section": "city",
        "date": "2024-05-21T08:05:00+01:00",
        "author": "Tomas Reyes",
        "title": "Storm drain upgrade to close Quay Street for six weeks",
        "description": "Work to stop the street flooding at high tide starts in "
        "September; buses will be diverted along Marsh Road.",
        "tags": ["roads", "flooding", "council"],
        "phrase": "tidal flap valves",
        "body": """
Quay Street will close to traffic for six weeks from 2 September while contractors
replace the Victorian storm drains that leave the road under water whenever heavy
rain coincides with a spring tide.

The street flooded fourteen times last winter, according to council figures, and on
three occasions water reached the doorsteps of shops on the harbour side. Engineers
say the old brick culverts are too narrow and that their outfalls are often blocked
by the sea itself.

## How the new system works

The project will install larger pipes and fit the outfalls with tidal flap valves,
which close automatically when the sea is higher than the water in the drain. A
pumping chamber under the small car park next to the lifeboat station will push
rainwater out when the valves are shut for long periods.

> "The drains were built when the street was full of carts, not cars, and the sea
> was a foot lower. We are catching up with a hundred and fifty years of change,"
> said project engineer Lucia Fenwick.

Pedestrian access to all shops and homes will be kept open throughout. The council
has agreed to waive business rates for the affected months for traders on the
street, after the chamber of commerce warned that the closure would hit them at the
end of the tourist season.

## Diversions

Buses on routes 3 and 7 will be diverted along Marsh Road, and the stop outside the
harbour office will move temporarily to the top of Chapel Lane. Deliveries will be
allowed into the street before eight in the morning under escort from the
contractor's marshals.

The cost of the scheme, just under three million pounds, is being met mostly by the
national flood defence budget. A public drop-in session, where residents can see the
plans and ask questions, will be held at the harbour office on 12 June from four
until seven in the evening.
""",
    },
    {
        "style": "wp",
        "slug": "bakery-chain-four-day-week",
        "lang": "en",
        "section": "business",
        "date": "2024-05-15T07:00:00+01:00",
        "author": "Sofia Lindgren",
        "title": "Local bakery chain moves staff to a four-day week",
        "description": "Crumb & Co says a six-month trial cut sick days and staff "
        "turnover without reducing output.",
        "tags": ["jobs", "work", "food"],
        "phrase": "sourdough starter named Bertha",
        "body": """
Crumb & Co, the bakery chain with five shops in Port Alder and the surrounding
villages, has moved all fifty-two of its staff to a four-day week on full pay after
a six-month trial that owners say paid for itself.

Bakers now work four ten-hour shifts instead of five eight-hour ones, and shop staff
work a pattern of four days on and three off. The shops keep their opening hours;
the company hired four more part-time assistants to cover the gaps.

## Fewer sick days, fewer resignations

Co-owner Rahul Desai said sick days fell by almost half during the trial and that
only one person left the business, compared with nine in the same period the year
before. Training a new baker takes around four months, he said, so keeping staff
saves money that more than covers the extra wages.

> "The bread does not care how many days a week you work. It cares whether the
> person making it is tired," Desai said.

Not everyone was convinced at first. Head baker Gwen Tallis, who has worked at the
original shop on Market Row since it opened in 2003, admitted she worried that long
shifts in a hot bakehouse would be exhausting. She now says the extra day off lets
her recover properly, and jokes that the only one working seven days a week is the
sourdough starter named Bertha, which has to be fed daily.

## Part of a wider trend

The regional chamber of commerce said at least a dozen small employers in the area
were now running some form of shorter week, mostly in hospitality and care, where
recruiting staff has been hardest since the pandemic. Economists caution that the
model is harder to apply in businesses that must be staffed around the clock.

Crumb & Co plans to open a sixth shop, in the new housing estate at Brookfield,
before Christmas.
""",
    },
    {
        "style": "wp",
        "slug": "school-weather-station-national-network",
        "lang": "en",
        "section": "science",
        "date": "2024-05-09T12:30:00+01:00",
        "author": "Priya Nandakumar",
        "title": "School weather station joins the national observing network",
        "description": "Readings taken by pupils at Alder High since 1994 have passed "
        "the quality checks of the national weather service.",
        "tags": ["weather", "schools", "climate"],
        "phrase": "Stevenson screen behind the sports hall",
        "body": """
A weather station run by pupils at Alder High School for thirty years has been
accepted into the national observing network, meaning its readings will now feed
into official climate records and forecasts.

The station began in 1994 as a geography project with a rain gauge and a
thermometer in a white Stevenson screen behind the sports hall. It now includes an
automatic logger, an anemometer on the roof of the science block and a sunshine
recorder, though pupils still read the manual instruments at nine every morning.

## Checking three decades of data

Before accepting a station, the weather service compares its records with those of
neighbouring sites to spot faults such as a thermometer placed too close to a wall.
Geography teacher Martin Okafor said the school had to send in every logbook since
1994, including several that had been water-damaged in a cupboard.

> "We found one week in 2003 where someone had clearly written the temperatures in
> Fahrenheit. Apart from that, the kids' records were remarkably clean," Okafor said.

The data show that the average temperature at the school has risen by about 0.8
degrees since the station opened, in line with the regional trend, and that the
number of days with frost has almost halved. Rainfall totals vary too much from year
to year to show a clear trend, though heavy downpours have become more common.

## Pupils as observers

Year ten pupil Amira Haddad, who is on this term's observation rota, said she liked
knowing that the numbers would be used by real forecasters. Pupils who complete a
year on the rota receive a certificate from the weather service.

The school hopes to add a soil temperature probe next year and has invited other
schools in the county to visit. Only four school stations in the country currently
meet the network's standards.
""",
    },
    {
        "style": "wp",
        "slug": "festival-de-la-maree-vingt-concerts",
        "lang": "fr",
        "section": "culture",
        "date": "2024-05-30T16:00:00+02:00",
        "author": "Camille Arnaud",
        "title": "Le festival de la Marée revient avec vingt concerts gratuits",
        "description": "Du 5 au 7 juillet, la jetée et les places du vieux port "
        "accueilleront fanfares, chorales et groupes locaux.",
        "tags": ["festival", "musique"],
        "phrase": "scène flottante amarrée au quai",
        "body": """
Le festival de la Marée, rendez-vous musical du vieux port de Port Alder, revient du
5 au 7 juillet avec vingt concerts gratuits répartis sur la jetée, la place du
Marché et la cour de l'ancienne corderie. Les organisateurs attendent plus de quinze
mille visiteurs sur les trois jours, soit autant que l'an dernier.

La nouveauté de cette édition est une scène flottante amarrée au quai nord, construite
par les élèves du lycée maritime à partir de pontons récupérés. Les spectateurs
pourront s'installer sur les marches du quai pour écouter les groupes, tandis que les
bateaux de plaisance resteront à l'écart grâce à une ligne de bouées.

## Une programmation très locale

La moitié des artistes vient de la région. On retrouvera la fanfare des pompiers, la
chorale des marins retraités et plusieurs groupes de jeunes repérés lors d'un
tremplin organisé en mars à la maison des associations. Le concert de clôture,
dimanche soir, réunira un orchestre de chambre et un groupe de musique
traditionnelle autour d'un programme consacré aux chants de pêcheurs.

> « Nous voulions un festival où l'on croise ses voisins sur scène autant que dans
> le public », explique la directrice artistique, Léa Morvan.

## Transports et sécurité

La circulation sera interdite sur le quai de la Douane pendant toute la durée du
festival. Des navettes gratuites relieront la gare et le parking de la zone
artisanale toutes les vingt minutes, de dix heures à minuit. Les organisateurs
recommandent de venir à pied ou à vélo, un parc à vélos surveillé étant installé
près de l'office de tourisme.

Le budget, d'environ cent quatre-vingt mille euros, est financé par la ville, la
région et une vingtaine de commerçants. Plus de cent bénévoles sont encore
recherchés pour l'accueil, le tri des déchets et la tenue des buvettes ; les
inscriptions se font à la mairie ou par téléphone.
""",
    },
    {
        "style": "wp",
        "slug": "marche-couvert-rouvre",
        "lang": "fr",
        "section": "city",
        "date": "2024-04-26T08:30:00+02:00",
        "author": "Camille Arnaud",
        "title": "Le marché couvert rouvre après deux ans de travaux",
        "description": "La halle métallique de 1898 a retrouvé sa verrière et accueille "
        "désormais trente-deux étals, dont neuf nouveaux.",
        "tags": ["commerce", "patrimoine"],
        "phrase": "charpente en fer puddlé",
        "body": """
Après deux ans de travaux et quelques mois de retard, le marché couvert de Port Alder
a rouvert ses portes samedi matin sous les applaudissements d'une foule venue dès
sept heures. Les commerçants, installés pendant le chantier sous des tentes sur le
parking voisin, ont retrouvé une halle entièrement rénovée.

Construite en 1898, la halle avait été fermée en 2022 après la chute de plusieurs
vitres de la verrière. Les architectes ont découvert que la charpente en fer puddlé
était rongée par la corrosion à de nombreux endroits. Chaque pièce a été démontée,
sablée, réparée ou refaite à l'identique dans un atelier spécialisé, puis remontée.

## Trente-deux étals

La halle compte désormais trente-deux étals, contre vingt-six auparavant. Parmi les
nouveaux venus figurent une fromagère, un torréfacteur de café, un maraîcher bio et
une petite cantine tenue par deux anciens cuisiniers de la marine marchande. Les
loyers ont été maintenus au niveau d'avant les travaux pendant les trois premières
années.

> « On a perdu des clients sous la tente, surtout les personnes âgées qui n'aimaient
> pas le vent. J'espère qu'ils vont revenir maintenant », confie Yannick Le Goff,
> poissonnier depuis trente ans.

## Un coût en hausse

Le chantier a coûté 4,6 millions d'euros, soit un million de plus que prévu,
principalement à cause de l'état de la charpente et de la hausse du prix de l'acier.
L'opposition municipale a demandé un audit, tandis que le maire a défendu un
investissement « pour les cent prochaines années ».

Le marché est ouvert du mardi au samedi de sept heures à treize heures, et le
vendredi jusqu'à dix-neuf heures. Une exposition de photographies retraçant
l'histoire de la halle est présentée jusqu'à la fin du mois dans l'ancienne loge du
gardien.
""",
    },
    {
        "style": "wp",
        "slug": "windpark-betreiber-neue-plaene",
        "lang": "de",
        "section": "business",
        "date": "2024-05-03T11:10:00+02:00",
        "author": "Jonas Brandt",
        "title": "Windpark vor der Küste: Betreiber legt neue Pläne vor",
        "description": "Statt 48 sollen nur noch 31 Anlagen gebaut werden, dafür "
        "größere. Fischer und Naturschützer sind geteilter Meinung.",
        "tags": ["energie", "wind", "fischerei"],
        "phrase": "Abstand zur Fahrrinne",
        "body": """
Der geplante Windpark vor der Küste von Port Alder wird kleiner als bisher vorgesehen,
aber nicht unbedingt schwächer. Die Betreibergesellschaft Nordbank Offshore hat am
Donnerstag überarbeitete Pläne vorgestellt, nach denen statt 48 nur noch 31 Anlagen
gebaut werden sollen. Weil die neuen Turbinen deutlich größer sind, soll die
Gesamtleistung mit rund 450 Megawatt nahezu gleich bleiben.

Die Änderung ist eine Antwort auf Einwände aus dem Genehmigungsverfahren. Vor allem
die Hafenbehörde hatte einen größeren Abstand zur Fahrrinne verlangt, durch die
Frachter und Fähren den Hafen anlaufen. Die neue Anordnung rückt die nördliche Reihe
der Anlagen um fast zwei Kilometer nach Süden.

## Fischer bleiben skeptisch

Der Verband der Küstenfischer begrüßte die geringere Zahl der Fundamente, kritisierte
aber, dass die Sperrzone um den Park kaum kleiner werde. In dem Gebiet liegen einige
der wichtigsten Fanggründe für Seezungen und Krabben. Der Betreiber bietet an, die
Kabeltrassen so zu verlegen, dass Schleppnetze in bestimmten Korridoren weiter
eingesetzt werden können.

> „Weniger Türme heißt nicht automatisch mehr Platz für uns. Entscheidend ist, wo
> wir am Ende fischen dürfen", sagte Verbandssprecher Henrik Aas.

## Naturschützer wollen Daten sehen

Naturschutzverbände zeigten sich vorsichtig zufrieden. Größere Rotoren drehen
langsamer, was nach einigen Studien das Risiko für Seevögel senken kann. Der
Vogelschutzbund fordert jedoch, dass die Messdaten der Radaranlage auf der Insel
veröffentlicht werden, mit der seit zwei Jahren der Vogelzug über dem Gebiet
beobachtet wird.

Die Baugenehmigung wird für Anfang nächsten Jahres erwartet. Wenn alles nach Plan
läuft, könnten die ersten Anlagen 2027 Strom liefern. Für den Hafen von Port Alder
bedeutet das Projekt voraussichtlich rund achtzig dauerhafte Arbeitsplätze in
Wartung und Service, dazu mehrere hundert Stellen während der Bauphase.
""",
    },
    {
        "style": "wp",
        "slug": "parking-revenue-audit",
        "lang": "en",
        "section": "city",
        "date": "2024-06-14T09:30:00+01:00",
        "author": "Maren Holt",
        "discovery": "sitemap-only",
        "title": "Audit finds parking machines under-reported takings for years",
        "description": "An internal audit of the council's car parks found a software "
        "fault that mislabelled card payments since 2019.",
        "tags": ["council", "parking", "audit"],
        "phrase": "reconciliation spreadsheet nobody opened",
        "body": """
Port Alder council has published an internal audit showing that its pay-and-display
machines under-reported card takings for almost five years because of a software
fault, leaving the parking account looking far weaker than it really was.

The auditors found that payments made by contactless card at the nine machines
installed in 2019 were booked by the supplier's system as refunds in certain
circumstances, for example when a driver bought a ticket within a minute of a
previous customer. The money itself reached the council's bank account, but it did
not appear in the parking budget reports.

## Half a million pounds misfiled

In total, about 540,000 pounds was recorded in a general suspense account rather
than as parking income. Finance officers had flagged the gap between bank deposits
and reported takings each quarter in a reconciliation spreadsheet nobody opened
after the officer responsible retired in 2020, the report says.

> "No money has gone missing. What went missing was the attention," the head of
> internal audit, Gordon Achebe, told the audit committee.

The error matters because the council cited falling parking income when it raised
charges at the seafront car parks in 2022 and cut the free first hour in the town
centre. Opposition councillors are now calling for the free hour to be restored.

## Supplier to pay for the fix

The machine supplier has accepted responsibility for the fault and will update the
software at no cost this month. The audit makes eleven recommendations, including
monthly checks by a named officer and a rule that any unexplained difference above
a thousand pounds must be reported to the finance director.

The council leader said the cabinet would consider the parking charges again at its
July meeting, once the corrected figures had been checked by the external auditors.
The full report is available from the council offices on request.
""",
    },
    {
        "style": "wp",
        "slug": "junior-sailing-winter-series",
        "lang": "en",
        "section": "sport",
        "date": "2024-06-13T17:20:00+01:00",
        "author": "Callum Drury",
        "discovery": "feed-only",
        "title": "Junior sailing league adds a winter series for the first time",
        "description": "Young sailors will race on the sheltered inner harbour from "
        "November, with borrowed dinghies and drysuits for beginners.",
        "tags": ["sailing", "youth"],
        "phrase": "fleet of borrowed Toppers",
        "body": """
The Port Alder junior sailing league will run a winter series for the first time this
year, giving young sailors a reason to stay on the water after the summer regattas
end. Six races will be held on Sunday mornings between November and March on the
sheltered inner harbour, where the breakwater keeps out the worst of the swell.

Until now the league has stopped at the end of September, and coaches say many
teenagers who start sailing in the summer holidays drift away over the winter and do
not come back. Clubs in other harbours that race all year keep roughly twice as many
of their young members.

## Kit for those who need it

Cold water is the main obstacle. The league has bought twenty drysuits in children's
sizes with a grant from the harbour trust, and they will be lent free of charge on
race days. Sailors without their own boat can race in a fleet of borrowed Toppers
owned by the yacht club and the sea scouts.

> "Nobody should miss out because their family cannot buy a drysuit that the child
> will grow out of in a year," said league secretary Fiona Garrick.

Safety rules will be tighter than in summer. Races will be cancelled if the wind
exceeds eighteen knots or the air temperature is below four degrees, and two rescue
boats will be on the water at all times. Each race will last no longer than forty
minutes.

## Hot chocolate included

Parents are being asked to help with a rota for the clubhouse kitchen, which will
serve soup and hot chocolate after racing. Points from the winter series will count
towards a separate trophy rather than the main summer league table.

Entry costs five pounds per race, with the fee waived for sailors from families who
receive free school meals. Registration opens in October at the yacht club.
""",
    },
    # --------------------------------------------------------------- Wix-style blog
    {
        "style": "wix",
        "slug": "ten-years-of-the-repair-cafe",
        "lang": "en",
        "section": "blog",
        "date": "2024-06-09T14:00:00+01:00",
        "modified": "2024-06-11T09:12:00+01:00",
        "author": "Nell Fairweather",
        "title": "Ten years of the Saturday repair café",
        "description": "Four thousand kettles, lamps and jumpers later, our volunteers "
        "look back on a decade of fixing things together.",
        "tags": ["community", "repair"],
        "phrase": "toaster that had survived three house moves",
        "body": """
It started with a trestle table, two soldering irons and a hand-written sign taped to
the door of the scout hut. Ten years later, the Saturday repair café meets every
month in the church hall on Chapel Lane, has forty volunteers on its list and has
logged just over four thousand repairs. Not bad for an idea that came out of a
grumble about a broken vacuum cleaner.

The rules have not changed since the first morning. You bring the broken thing, you
sit with the volunteer while they work on it, and you learn something. We do not
take things in and hand them back later, because the point is not only to fix the
object but to make people less afraid of opening things up.

## What people bring

Small electrical appliances are still the biggest category, about a third of
everything we see. Lamps are easy; kettles usually need a new switch; food mixers
are a lottery. Clothing and textiles come second, thanks to our two retired
dressmakers, who can rescue a zip that anyone else would give up on. Then bicycles,
toys, furniture and, increasingly, laptops and phones.

My favourite repair of the decade was a toaster that had survived three house moves
and a kitchen fire. Its owner had been given it as a wedding present in 1971. The
fault turned out to be a single corroded rivet, and she cried when it started to
glow again.

## What we cannot fix

About one item in five goes home still broken. Some are glued shut so they cannot be
opened without destroying them; others need a part that the manufacturer no longer
makes or will only sell to approved dealers. We keep a record of these and send it
to the national right-to-repair campaign each year.

Thank you to every volunteer, and to everyone who has ever brought us a biscuit tin
of mystery cables. Next session: Saturday 6 July, ten till one.
""",
    },
    {
        "style": "wix",
        "slug": "tomatoes-on-a-windy-balcony",
        "lang": "en",
        "section": "blog",
        "date": "2024-05-26T10:30:00+01:00",
        "author": "Owen Pascoe",
        "title": "What we learned growing tomatoes on a windy balcony",
        "description": "Salt spray, gales and a fourth-floor balcony facing the sea: "
        "a season of mistakes and a surprisingly good harvest.",
        "tags": ["gardening", "food"],
        "phrase": "windbreak made from an old shower curtain",
        "body": """
When we moved into a fourth-floor flat overlooking the harbour, everyone told us to
forget about growing vegetables. The balcony faces south-west, straight into the
prevailing wind, and after a storm the railings are crusted with salt. Naturally, we
decided to grow tomatoes.

Our first attempt, two summers ago, was a disaster. We bought tall varieties from the
garden centre, tied them to bamboo canes and watched the first gale snap every stem
at the height of the railing. The survivors produced a handful of split, salty fruit
in September.

## Going short and sheltered

Last year we changed three things. First, we switched to bush and trailing
varieties that stay under sixty centimetres and do not need staking. Second, we put
up a windbreak made from an old shower curtain clipped to the railings with bulldog
clips; it looks slightly ridiculous but cuts the wind enough to matter. Third, we
moved the pots against the back wall, where the brickwork holds warmth into the
evening.

We also learned to water in the morning rather than at night, and to rinse the
leaves with fresh water after a salty blow. Tomatoes do not mind a bit of sea air,
but a coating of salt on the leaves scorches them in sunshine.

## The results

From six plants in large pots we picked about nine kilos of fruit between July and
October, mostly small cherry tomatoes with thick skins and a lot of flavour. The
yellow pear-shaped variety was the most productive; the striped one looked beautiful
and tasted of very little.

This year we are trying peppers and a dwarf bean alongside the tomatoes, and we have
swapped the shower curtain for a proper mesh screen. If you garden somewhere
exposed, tell us in the comments what has worked for you.
""",
    },
    {
        "style": "wix",
        "slug": "walking-the-old-railway-line",
        "lang": "en",
        "section": "blog",
        "date": "2024-05-12T08:00:00+01:00",
        "author": "Nell Fairweather",
        "title": "A walking route along the old railway line to Saltmere",
        "description": "Eleven flat kilometres, three viaducts and a station café: our "
        "favourite easy walk, with directions.",
        "tags": ["walks", "history"],
        "phrase": "signal box painted in Brunswick green",
        "body": """
The branch line between Port Alder and Saltmere closed to passengers in 1964, but its
route survives almost intact as a path through the marshes and along the river. It
is flat, mostly surfaced and eleven kilometres long, which makes it our favourite
walk for days when the weather is uncertain or the legs are tired.

Start at the old goods yard behind the supermarket on Station Road, where an
information board shows a photograph of the last train. Follow the path under the
road bridge and you are immediately in open country, with reed beds on one side and
grazing marsh on the other.

## Three viaducts

After about three kilometres you cross the first of three brick viaducts over the
river channels. The middle one, the longest, has fourteen arches and views down the
estuary to the lighthouse. Look out for little egrets in the shallows and, in
winter, large flocks of wigeon. A bench halfway across is dedicated to a former
signalman who walked the line every day after it closed.

Just before the halfway point, the path passes Marsh End halt, where the platform and
a tiny signal box painted in Brunswick green have been restored by volunteers. The
box is open on summer Sunday afternoons, and you can pull the levers under
supervision.

## The end of the line

The final stretch follows the embankment into Saltmere, where the old station is now
a café serving very good cheese scones. From there you can catch the number 12 bus
back to Port Alder, which runs every hour until early evening, or walk back the same
way.

Practical notes: the path is suitable for pushchairs and most wheelchairs, though the
section near the second viaduct gets muddy after rain. Dogs must be on leads in the
nature reserve between March and July, when birds are nesting.
""",
    },
    {
        "style": "wix",
        "slug": "soupe-de-poisson-de-ma-grand-mere",
        "lang": "fr",
        "section": "blog",
        "date": "2024-04-18T19:00:00+02:00",
        "author": "Odile Kervella",
        "title": "Recette : la soupe de poisson de ma grand-mère",
        "description": "Des poissons de roche, du fenouil, une pointe de safran et "
        "beaucoup de patience : la recette familiale, enfin écrite.",
        "tags": ["cuisine", "recettes"],
        "phrase": "moulin à légumes en fer-blanc",
        "body": """
Ma grand-mère n'a jamais écrit cette recette. Elle la faisait tous les vendredis, de
mémoire, avec ce que le poissonnier du port lui gardait de côté : des petits poissons
de roche trop laids pour l'étal, quelques têtes de congre, parfois une vieille. J'ai
passé un hiver à la refaire avec elle pour noter les quantités, et voici le résultat.

Pour six personnes, il faut environ un kilo et demi de poissons de roche vidés, deux
oignons, un bulbe de fenouil, trois tomates bien mûres, quatre gousses d'ail, un
morceau d'écorce d'orange séchée, une pincée de safran, du thym, du laurier et un
bon filet d'huile d'olive.

## La cuisson

Faites revenir les oignons et le fenouil émincés dans l'huile, sans les laisser
colorer. Ajoutez l'ail écrasé, les tomates coupées en morceaux, puis les poissons
entiers. Remuez sur feu vif pendant dix minutes, jusqu'à ce que les poissons se
défassent. Versez deux litres et demi d'eau bouillante, ajoutez les herbes, l'écorce
d'orange et le safran, puis laissez cuire à petits bouillons pendant quarante
minutes.

Ensuite vient l'étape que ma grand-mère faisait avec un moulin à légumes en
fer-blanc, plus vieux que moi : passer toute la soupe, arêtes comprises, en pressant
fort pour récupérer le maximum de goût. Filtrez ensuite au chinois. Un mixeur
plongeant fonctionne aussi, mais il faut alors filtrer deux fois.

## Pour servir

On sert la soupe brûlante avec des croûtons frottés à l'ail, de la rouille et du
fromage râpé. Ma grand-mère ajoutait toujours une cuillère de la soupe dans la
rouille pour la détendre, et refusait qu'on y mette de la mayonnaise du commerce.

La soupe se congèle très bien. Dites-moi en commentaire si votre famille avait sa
propre version !
""",
    },
    {
        "style": "wix",
        "slug": "mit-dem-fahrrad-durch-die-marschen",
        "lang": "de",
        "section": "blog",
        "date": "2024-05-05T20:15:00+02:00",
        "author": "Katrin Vogel",
        "title": "Mit dem Fahrrad durch die Marschen: ein Wochenendbericht",
        "description": "Zwei Tage, 140 Kilometer, viel Gegenwind und eine Nacht in "
        "einer Herberge am Deich: unsere Tour rund um die Bucht.",
        "tags": ["radfahren", "reisen"],
        "phrase": "Übernachtung im alten Deichhaus",
        "body": """
Seit wir vor drei Jahren nach Port Alder gezogen sind, wollten wir die Bucht einmal
mit dem Rad umrunden. Am ersten Maiwochenende hat es endlich geklappt: zwei Tage,
knapp 140 Kilometer, fast alles flach, dafür mit Wind aus allen Richtungen, nur nie
von hinten.

Wir sind am Samstagmorgen am Hafen gestartet und zunächst auf dem alten Bahndamm
Richtung Saltmere gefahren. Der Weg ist gut befestigt und führt über mehrere
Viadukte, von denen man weit über die Marsch blickt. In Saltmere gab es im früheren
Bahnhofscafé den ersten Kaffee und riesige Käsescones.

## Gegenwind auf dem Deich

Hinter Saltmere beginnt der schönste, aber auch anstrengendste Abschnitt. Der
Radweg verläuft oben auf dem Seedeich, und bei Westwind gibt es keinerlei Schutz.
Wir haben für zwanzig Kilometer fast zwei Stunden gebraucht und uns beim Vorne
fahren alle fünf Minuten abgewechselt. Dafür haben wir Säbelschnäbler,
Austernfischer und eine Robbe auf einer Sandbank gesehen.

Die Übernachtung im alten Deichhaus bei Kestle Bay war das Highlight der Tour. Das
frühere Haus des Deichwärters ist heute eine einfache Herberge mit zwölf Betten,
einer Gemeinschaftsküche und einem Schuppen für Fahrräder. Abends saßen wir mit zwei
Radfahrern aus den Niederlanden zusammen, die die gleiche Runde in umgekehrter
Richtung fuhren.

## Tipps für die Tour

Am Sonntag ging es über die Fähre nach Gull Island und zurück nach Port Alder. Die
Fähre nimmt Fahrräder kostenlos mit, man sollte aber früh da sein, weil die Plätze
begrenzt sind. Wer die Runde nachfahren möchte: Die Herberge unbedingt vorher
reservieren, ausreichend Wasser mitnehmen, denn zwischen Saltmere und Kestle Bay
gibt es keinen Laden, und eine winddichte Jacke einpacken, auch wenn die Sonne
scheint.
""",
    },
    {
        "style": "wix",
        "slug": "choir-in-the-lighthouse",
        "lang": "en",
        "section": "blog",
        "date": "2024-04-28T16:45:00+01:00",
        "author": "Owen Pascoe",
        "title": "Why our choir sings in the lighthouse every June",
        "description": "A spiral staircase, a nine-second echo and eighty-seven steps: "
        "the story behind the Harbour Singers' strangest concert.",
        "tags": ["music", "community"],
        "phrase": "nine seconds of reverberation",
        "body": """
Every June, on the Saturday closest to midsummer, the Harbour Singers climb the
eighty-seven steps of the Alder Point lighthouse and sing to whoever has managed to
squeeze in below. It is a slightly absurd tradition, and it is the concert our
members look forward to most all year.

It began in 2011, when the lighthouse was opened to the public for a heritage weekend
and our conductor at the time, Margaret Ellery, asked the keeper whether she could
test the acoustics. A single held note from the lantern gallery produced nine seconds
of reverberation down the stone spiral. She booked us for the following year on the
spot.

## Singing in a tube

The tower is essentially a tall stone tube, which does strange things to sound. Low
voices disappear into a rumble; high voices float. Singers on the staircase cannot
see the conductor, so we use a system of hand signals passed down the spiral, which
works about as well as you would expect. Over the years we have learned to choose
slow music with long chords, and to avoid anything with fast words.

Only about forty people fit inside, so the concert is repeated three times in the
evening, and the rest of the audience listens from the grass outside through the
open door. On a calm night you can hear the choir from the car park.

## This year's programme

This year we are singing a new piece written for us by a local composer, based on
the names of ships lost off the point over two centuries. It will be performed at
sunset, with the lamp lit for the first time since the lighthouse was automated.

Tickets are free but must be booked, because of the limit on numbers. Bring a
jumper: the tower is cold even in June.
""",
    },
    {
        "style": "wix",
        "slug": "first-beach-clean-of-spring",
        "lang": "en",
        "section": "blog",
        "date": "2024-03-24T13:00:00+00:00",
        "author": "Nell Fairweather",
        "title": "Notes from the first community beach clean of spring",
        "description": "Sixty volunteers, three hundred kilos of rubbish and one very "
        "confused crab: a report from Long Strand.",
        "tags": ["environment", "community"],
        "phrase": "nurdles sieved from the strandline",
        "body": """
Sixty-two people turned up on a cold, bright Sunday morning for the first beach clean
of the year at Long Strand, which is more than double the number we had at the same
event last spring. Thank you to everyone who came, and especially to the family who
drove over from Kestle Bay with flasks of tea for all.

In two hours we collected just under three hundred kilos of rubbish, most of it
washed up by the winter storms. The heaviest single item was a tangle of rope and
fishing net that took eight of us to drag above the tide line. The strangest was a
child's rubber boot with a small crab living in it, which was returned to a rock
pool.

## What we found

We sort and count everything using the national survey form, so the data can be
compared with other beaches. Plastic fragments were the biggest category by number,
followed by rope and string, drinks bottles, and cotton bud sticks. We also recorded
several hundred nurdles sieved from the strandline, the small plastic pellets used
to make other plastic products. These are not thrown away by anyone on the beach;
they are lost from factories and ships, which is why we report them separately.

Some good news: the number of plastic bags was the lowest since we started counting
in 2017. Drinks bottles, on the other hand, were up again.

## Next time

The next clean will be on Sunday 21 April at the harbour beach, meeting at the
lifeboat station at ten. We provide gloves, bags and litter pickers, and children are
welcome with an adult. If you cannot come on the day, you can borrow a kit from the
library and do a two-minute clean whenever you visit the beach.
""",
    },
    # ----------------------------------------------------------- custom newsroom wire
    {
        "style": "newsroom",
        "slug": "hospital-night-urgent-care-unit",
        "lang": "en",
        "section": "health",
        "date": "2024-06-11T05:55:00+01:00",
        "author": "Ruth Adeyemi",
        "title": "Regional hospital opens night-time urgent care unit",
        "description": "The unit will treat minor injuries and illnesses overnight to "
        "take pressure off the emergency department.",
        "tags": ["health", "hospital"],
        "phrase": "triage nurse at the front door",
        "body": """
PORT ALDER — The Alder Valley Regional Hospital opened an overnight urgent care unit
on Monday, aiming to treat patients with minor injuries and illnesses without sending
them through the crowded emergency department.

The unit, in a converted outpatient wing next to the main entrance, will be staffed
from eight in the evening until eight in the morning by two emergency nurse
practitioners, a GP and a healthcare assistant. It can deal with sprains, simple
fractures, cuts that need stitches, minor burns, infections and similar problems.

Patients arriving at the hospital at night will be seen by a triage nurse at the
front door, who will decide whether they should go to the new unit or to the
emergency department. Ambulances will continue to take seriously ill patients
directly to the emergency department.

Hospital managers said about four in ten people who came to the emergency department
overnight last year had conditions that could have been treated in an urgent care
setting. Waiting times for those patients averaged more than five hours, because
staff had to prioritise more serious cases.

"Someone with a broken wrist at two in the morning should not have to wait behind a
heart attack and a car crash, and the doctors treating the heart attack should not
be distracted by the broken wrist," said Dr Simon Achterberg, the hospital's
clinical director for emergency care.

The unit cost 1.2 million pounds to set up and will cost about 900,000 pounds a year
to run. It is funded for two years as a pilot, after which the health board will
decide whether to keep it.

The nurses' union welcomed the extra staff but warned that the hospital still had
more than sixty vacant nursing posts. The hospital said most of the new unit's staff
had been recruited from outside the region.

During the day, minor injuries continue to be treated at the walk-in centre on
Harbour Road, which is open from eight until eight.
""",
    },
    {
        "style": "newsroom",
        "slug": "port-traffic-third-quarter-rise",
        "lang": "en",
        "section": "business",
        "date": "2024-05-31T10:00:00+01:00",
        "author": "Ruth Adeyemi",
        "title": "Port traffic rises for third straight quarter",
        "description": "Cargo volumes at Port Alder grew 7 percent year on year, led "
        "by timber imports and wind farm components.",
        "tags": ["port", "economy", "shipping"],
        "phrase": "roll-on roll-off berth",
        "body": """
PORT ALDER — Cargo handled at Port Alder rose for the third quarter in a row between
January and March, according to figures published on Friday by the harbour
authority, helped by timber imports and the first deliveries of components for
offshore wind farms.

The port handled 1.18 million tonnes of cargo in the quarter, up 7 percent on the
same period last year. The number of ship calls rose more slowly, by 3 percent, as
the average vessel grew larger.

Timber from the Baltic remained the single largest cargo, accounting for almost a
third of the total. Volumes of animal feed and fertiliser, which fell sharply during
2022 as prices soared, have recovered to roughly their previous level.

The biggest percentage increase came from project cargo: oversized loads such as
transformers, cable drums and steel foundation pieces. The harbour authority said
several wind farm developers were using the port as a staging area because of its
deep-water quay and the large storage yard created on reclaimed land in 2019.

"We are turning into an energy port without having planned to," said harbour
master Ingrid Solberg. "Ten years ago most of what crossed this quay was wood and
grain."

The authority plans to spend 14 million pounds over the next three years on a
second roll-on roll-off berth and on strengthening the quay to carry heavier cranes.
It is seeking a loan from the national infrastructure bank to cover about half of
the cost.

Container traffic, a small part of the port's business, was flat. The passenger
ferry to Gull Island carried slightly fewer people than a year earlier, which the
operator put down to a wet March.

Local residents' groups have raised concerns about heavy goods traffic on Marsh Road,
the main route out of the port. The authority said it was discussing a new access
road with the county council but that no funding had been agreed.
""",
    },
    {
        "style": "newsroom",
        "slug": "kelp-forests-mapped-by-drones",
        "lang": "en",
        "section": "science",
        "date": "2024-05-18T11:30:00+01:00",
        "author": "Ewan Mackintosh",
        "title": "University team maps kelp forests with underwater drones",
        "description": "Survey finds kelp beds off Alder Point have expanded by a fifth "
        "since trawling was banned inside the bay.",
        "tags": ["science", "marine", "environment"],
        "phrase": "sonar mosaic of the seabed",
        "body": """
PORT ALDER — Marine scientists have produced the first detailed map of the kelp
forests off Alder Point using a pair of underwater drones, and found that the beds
have expanded by about a fifth since bottom trawling was banned inside the bay four
years ago.

The team from the coastal research institute of the regional university spent three
weeks in April guiding the drones, each about the size of a small suitcase, along
pre-programmed survey lines. The vehicles carried cameras and side-scan sonar,
allowing the researchers to build a sonar mosaic of the seabed covering more than
twelve square kilometres.

Kelp forests, made up of large brown seaweeds that can grow several metres tall,
provide shelter and food for young fish, lobsters and crabs, and absorb carbon
dioxide as they grow. They have declined along many coasts because of warming water,
pollution and damage from fishing gear dragged across the seabed.

"The difference between the protected area and the strip just outside it is
obvious on the map," said Dr Isla Marchetti, who led the project. "Where the trawls
stopped, the kelp came back."

The survey found dense kelp down to a depth of about fifteen metres, with scattered
plants deeper where the water was clear. The researchers also recorded patches of
seagrass in the sheltered part of the bay, which had not been mapped before.

Fishermen who work with static pots inside the bay said they had noticed better
catches of lobster in recent seasons, though scientists cautioned that it was too
early to link that directly to the kelp recovery.

The drones will survey the same area every spring for the next five years. The
university has published the first map online and invited divers and kayakers to
submit their own photographs of kelp and seagrass through a citizen science
website.
""",
    },
    {
        "style": "newsroom",
        "slug": "bridge-inspection-weight-limit",
        "lang": "en",
        "section": "city",
        "date": "2024-04-22T15:10:00+01:00",
        "author": "Ewan Mackintosh",
        "title": "Bridge inspection finds corrosion, weight limit imposed",
        "description": "Lorries over 7.5 tonnes are banned from the Marsh Road bridge "
        "with immediate effect after engineers found rusted bearings.",
        "tags": ["roads", "bridges"],
        "phrase": "seized bearings under the eastern span",
        "body": """
PORT ALDER — A weight limit of 7.5 tonnes was placed on the Marsh Road bridge on
Monday after a routine inspection found serious corrosion in the steel structure,
forcing lorries heading to and from the port to take a detour of almost twenty
kilometres.

Engineers carrying out a five-yearly principal inspection found rusted and seized
bearings under the eastern span, along with loss of steel in two of the main girders
where water had been leaking through a failed expansion joint.

The county council said the bridge was safe for cars, buses and light vans, but that
the heaviest vehicles could not be allowed to cross until repairs had been made.
Signs and temporary barriers to stop lorries from using the bridge were installed
within hours of the decision.

"This is exactly what inspections are for. We found the problem before it became
dangerous, and we have acted on it straight away," said the council's head of
highways, Martin Kovacs.

The decision has caused concern among hauliers and businesses at the port, which
relies on Marsh Road as its main route to the motorway. Heavy goods vehicles will
now be diverted through Saltmere, a route that passes two primary schools and
several narrow junctions.

The harbour authority said it was working with the council and the police to manage
the extra traffic and would ask shipping lines to spread deliveries more evenly
through the day.

The council expects to have a repair plan within six weeks. Replacing the bearings
will require the bridge deck to be jacked up, and the work is likely to involve full
closures at night. A first estimate puts the cost at between two and three million
pounds.

The bridge was built in 1968 and last had major maintenance in 1997.
""",
    },
    {
        "style": "newsroom",
        "slug": "election-officials-trial-ballot-scanners",
        "lang": "en",
        "section": "politics",
        "date": "2024-04-09T09:40:00+01:00",
        "author": "Ruth Adeyemi",
        "title": "Election officials trial scanners to speed up paper ballot counts",
        "description": "Machines will count ballots in two wards at May's local "
        "elections, and every paper will also be counted by hand.",
        "tags": ["elections", "politics"],
        "phrase": "hand count kept as a check",
        "body": """
PORT ALDER — Ballots in two Port Alder wards will be counted by scanning machines at
the local elections in May, the first time the technology has been used in the
county, under a trial approved by the national electoral commission.

Voters will still mark paper ballots with a pencil in the polling station, and the
papers will be taken to the count in sealed boxes as usual. At the count, however,
ballots from the Harbour and Westcliff wards will be fed through scanners that read
the marks and produce a total for each candidate.

As part of the trial, every scanned ballot will also be counted by hand, with the
hand count kept as a check and declared as the official result. The commission will
compare the two sets of figures and publish a report on the trial in the autumn.

Returning officer Grace Whitlock said the aim was to find out whether scanners could
make counts faster and reduce the fatigue that leads to human error late at night.

"Counting staff do a remarkable job, but it is tiring work and people make mistakes
at four in the morning. We want to know whether machines can help, and we are going
to check every single paper to find out," she said.

Ballots the machines cannot read with confidence, such as papers where voters have
written words or marked two boxes, will be set aside for the returning officer to
adjudicate in front of candidates and agents, as happens now.

Some campaigners for election security have questioned the trial, arguing that any
machine-based count can be tampered with and is harder for observers to follow. The
council said the scanners were not connected to any network and that their software
had been examined by an independent auditor.

Results in the other wards will be counted entirely by hand. The count will take
place at the leisure centre on the night of the election.
""",
    },
]
