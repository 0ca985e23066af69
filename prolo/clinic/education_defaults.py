"""The education articles every clinic starts with, in English and Spanish. Pure data.

Written for Prolo in plain language (a reading age of about 12) from the team's domain notes
(/work/shared/domain/prolotherapy.md §1 types, §4 evidence, §6 preparation and aftercare,
§8 side effects): they are not copied from any website. Durations that differ between clinics
(how long to stop anti-inflammatories, how long soreness lasts) are described generally, and
the patient is pointed to their own plan in the portal. A clinic edits its copies on the staff
side (Clinic → Articles); `services/articles.py::articles_install_defaults` installs the
missing ones. The medical disclaimer is not part of the text: the portal shows it under every
article (portal/learn_disclaimer.html), so an edit cannot remove it.

Markdown headings start at level 2: the page's own heading (the title) is the only h1.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultArticle:
    slug: str
    language: str
    position: int
    title: str
    summary: str
    body: str


WHAT_IT_IS_EN = """\
## What it is
Prolotherapy is a treatment for long-lasting pain in joints, ligaments and tendons. Ligaments
hold bones together. Tendons join muscles to bones.

The clinician injects a small amount of liquid where these tissues attach to the bone, and
sometimes into the joint itself. The liquid is most often a sugar solution called
**dextrose**, mixed with a numbing medicine (a local anaesthetic).

You usually have several sessions, a few weeks apart.

## Who it may help
It is used for pain that has lasted a long time and has not got better with other care, for
example:

- wear in the knee joint (knee osteoarthritis)
- tennis elbow, and some other painful tendons
- some kinds of heel pain

## What the research says
Most studies of prolotherapy are small, and the results are mixed.

- For knee osteoarthritis, studies show it can ease pain for some people.
- For some tendon and ligament problems, the results are hopeful but less certain.
- For long-lasting low back pain, the injections on their own worked no better than dummy
  injections.

Some people do not get better. Many health insurers see prolotherapy as experimental, so it
may not be paid for.

## It is not the first treatment to try
Exercise, physiotherapy, losing weight where that helps, pain medicines, braces and other
injections are usually tried first. Your clinician should talk with you about these other
choices before you decide. You can stop the treatment at any time.
"""

WHAT_IT_IS_ES = """\
## Qué es
La proloterapia es un tratamiento para el dolor de larga duración en articulaciones,
ligamentos y tendones. Los ligamentos unen un hueso con otro. Los tendones unen los músculos
a los huesos.

El profesional inyecta una pequeña cantidad de líquido en el lugar donde estos tejidos se
unen al hueso, y a veces dentro de la articulación. El líquido suele ser una solución de
azúcar llamada **dextrosa**, mezclada con un medicamento que adormece la zona (un anestésico
local).

Normalmente se hacen varias sesiones, con algunas semanas entre una y otra.

## A quién puede ayudar
Se usa para el dolor que dura mucho tiempo y que no ha mejorado con otros tratamientos, por
ejemplo:

- el desgaste de la rodilla (artrosis de rodilla)
- el codo de tenista y otros tendones dolorosos
- algunos tipos de dolor de talón

## Qué dicen los estudios
La mayoría de los estudios sobre la proloterapia son pequeños y sus resultados son variados.

- En la artrosis de rodilla, los estudios muestran que puede aliviar el dolor de algunas
  personas.
- En algunos problemas de tendones y ligamentos, los resultados son alentadores, pero menos
  seguros.
- En el dolor de espalda baja de larga duración, las inyecciones solas no funcionaron mejor
  que unas inyecciones simuladas.

Algunas personas no mejoran. Muchas aseguradoras consideran la proloterapia un tratamiento
experimental, así que puede que no la cubran.

## No es el primer tratamiento
Normalmente se prueba antes con ejercicio, fisioterapia, bajar de peso si eso ayuda,
medicamentos para el dolor, férulas u otras inyecciones. Su profesional debe hablar con
usted de estas otras opciones antes de que decida. Puede dejar el tratamiento en cualquier
momento.
"""

TYPES_EN = """\
## Dextrose prolotherapy
This is the most common type, and the one studied most. A sugar solution (dextrose), usually
mixed with a numbing medicine, is injected where ligaments and tendons attach to bone, and
sometimes into the joint.

## Perineural injection therapy
This is also called "neural prolotherapy". A weak sugar solution is injected just under the
skin, along small nerves that hurt. Each injection is tiny, and there can be many of them.
Sessions are often once a week. This type has been studied less than dextrose prolotherapy.

## Hydrodissection
A larger amount of weak sugar solution is injected around a nerve that is squeezed, for
example in the wrist (carpal tunnel syndrome). An ultrasound scanner guides the needle.

## Other solutions
Some clinics use other liquids, such as a mix of dextrose, glycerine and phenol, or sodium
morrhuate (made from cod liver oil). These are used less often and may carry more risk. If
your clinician suggests one, ask why.

## Related treatments that are different
Platelet-rich plasma (PRP) uses part of your own blood instead of a sugar solution. It needs
different checks and preparation. Steroid injections are different too: they calm
inflammation, while prolotherapy is thought to work in other ways.

## Which type is right for me?
Your clinician will explain which type they suggest, why, and what your other choices are.
"""

TYPES_ES = """\
## Proloterapia con dextrosa
Es el tipo más habitual y el más estudiado. Se inyecta una solución de azúcar (dextrosa),
normalmente mezclada con un medicamento que adormece, donde los ligamentos y tendones se unen
al hueso, y a veces dentro de la articulación.

## Terapia de inyección perineural
También se llama "proloterapia neural". Se inyecta una solución de azúcar suave justo debajo
de la piel, a lo largo de pequeños nervios que duelen. Cada inyección es muy pequeña y puede
haber muchas. Las sesiones suelen ser una vez por semana. Este tipo se ha estudiado menos que
la proloterapia con dextrosa.

## Hidrodisección
Se inyecta una cantidad mayor de solución de azúcar suave alrededor de un nervio apretado,
por ejemplo en la muñeca (síndrome del túnel carpiano). Un ecógrafo guía la aguja.

## Otras soluciones
Algunas clínicas usan otros líquidos, como una mezcla de dextrosa, glicerina y fenol, o el
morruato de sodio (que se obtiene del aceite de hígado de bacalao). Se usan menos y pueden
tener más riesgos. Si su profesional le propone uno, pregunte por qué.

## Tratamientos parecidos pero distintos
El plasma rico en plaquetas (PRP) usa una parte de su propia sangre en lugar de una solución
de azúcar. Necesita otras pruebas y otra preparación. Las inyecciones de corticoides también
son distintas: calman la inflamación, mientras que se cree que la proloterapia actúa de otras
maneras.

## ¿Qué tipo es el adecuado para mí?
Su profesional le explicará qué tipo le propone, por qué y qué otras opciones tiene.
"""

HOW_IT_WORKS_EN = """\
## Nobody knows for sure
Researchers are still studying how prolotherapy works. There are a few ideas, and more than
one of them may be true.

## Ideas about how it works
- **A healing response.** The solution irritates the tissue a little. This may start the
  body's own repair work, which could make weak or damaged ligaments and tendons stronger.
- **Calming pain nerves.** The solution may calm small nerves that send pain signals. This is
  the main idea behind the injections of weak dextrose under the skin.
- **The injection itself.** In studies, people who had salt-water injections also got
  better. So part of the effect may come from the injection, not only from the solution.

## Why it takes time
Ligaments and tendons heal slowly. It can take two months or more for them to get stronger,
and some people need two or more sessions before they notice a change. After each session,
the area may feel worse for a few days before it feels better.

## What this means for you
Try not to judge the treatment by how you feel in the first week. Your clinic may ask you to
fill in short questionnaires over the coming months to see whether it is helping.
"""

HOW_IT_WORKS_ES = """\
## Nadie lo sabe con certeza
Los investigadores todavía estudian cómo actúa la proloterapia. Hay varias ideas, y puede que
más de una sea cierta.

## Ideas sobre cómo actúa
- **Una respuesta de curación.** La solución irrita un poco el tejido. Esto puede poner en
  marcha la reparación natural del cuerpo, que podría fortalecer los ligamentos y tendones
  débiles o dañados.
- **Calmar los nervios del dolor.** La solución podría calmar pequeños nervios que envían
  señales de dolor. Es la idea principal de las inyecciones de dextrosa suave bajo la piel.
- **La propia inyección.** En los estudios, las personas que recibieron inyecciones de agua
  con sal también mejoraron. Así que parte del efecto puede venir de la inyección, no solo de
  la solución.

## Por qué lleva tiempo
Los ligamentos y tendones se curan despacio. Pueden pasar dos meses o más hasta que se
fortalezcan, y algunas personas necesitan dos sesiones o más antes de notar un cambio.
Después de cada sesión, la zona puede doler más durante unos días antes de mejorar.

## Qué significa para usted
Intente no juzgar el tratamiento por cómo se siente la primera semana. Es posible que su
clínica le pida rellenar cuestionarios cortos durante los próximos meses para ver si le está
ayudando.
"""

PREPARING_EN = """\
## Anti-inflammatory medicines
Anti-inflammatory pain medicines, such as ibuprofen, naproxen or diclofenac, may work against
the healing response that prolotherapy aims for. Your clinic will ask you to stop taking them
for some days before each session. Clinics differ on how many days, so follow your own
clinic's instructions: your plan in this portal shows the date to stop.

Paracetamol (also called acetaminophen) is usually fine for pain.

If a doctor told you to take low-dose aspirin for your heart, do not stop it without asking
that doctor. Many clinics let you keep taking it.

## Blood thinners and steroids
Tell the clinic if you take a blood thinner (for example warfarin, apixaban or clopidogrel),
or steroid tablets or injections. Never stop a blood thinner on your own: the clinic and the
doctor who prescribed it will decide together what to do.

## Tell the clinic before you come if
- you have a fever, feel unwell, or have an infection, especially near the area to be treated
- you are pregnant, or might be
- you have a new allergy, for example to numbing medicines, corn or fish
- your medicines have changed

Your session may need to be moved.

## On the day
- Eat a light meal one to two hours before you come.
- Wear loose, comfortable clothes, so the area is easy to reach.
- Bring a list of your medicines, and your glasses or hearing aids if you use them.
- If the clinic gives you a medicine to help you relax, someone must drive you home.
"""

PREPARING_ES = """\
## Medicamentos antiinflamatorios
Los antiinflamatorios para el dolor, como el ibuprofeno, el naproxeno o el diclofenaco,
pueden frenar la respuesta de curación que busca la proloterapia. Su clínica le pedirá que
deje de tomarlos unos días antes de cada sesión. Cada clínica indica un número de días
distinto, así que siga las instrucciones de la suya: su plan en este portal muestra la fecha
en que debe dejarlos.

El paracetamol (también llamado acetaminofén) suele poder tomarse para el dolor.

Si un médico le indicó tomar aspirina en dosis baja para el corazón, no la deje sin
consultarlo con ese médico. Muchas clínicas permiten seguir tomándola.

## Anticoagulantes y corticoides
Avise a la clínica si toma un medicamento para hacer la sangre más líquida (por ejemplo
warfarina, apixabán o clopidogrel), o corticoides en pastillas o en inyección. Nunca deje un
anticoagulante por su cuenta: la clínica y el médico que se lo recetó decidirán juntos qué
hacer.

## Avise a la clínica antes de venir si
- tiene fiebre, se encuentra mal o tiene una infección, sobre todo cerca de la zona a tratar
- está embarazada o podría estarlo
- tiene una alergia nueva, por ejemplo a los anestésicos, al maíz o al pescado
- han cambiado sus medicamentos

Puede que haya que cambiar la fecha de su sesión.

## El día de la sesión
- Coma algo ligero una o dos horas antes de venir.
- Lleve ropa cómoda y holgada, para que la zona sea fácil de alcanzar.
- Traiga una lista de sus medicamentos, y sus gafas o audífonos si los usa.
- Si la clínica le da un medicamento para relajarse, alguien debe llevarle a casa en coche.
"""

PROCEDURE_EN = """\
## Before the injections
- A member of the team checks who you are and asks about your health, your medicines and
  any allergies.
- The clinician explains the plan and answers your questions. If you have not signed the
  consent form yet, you sign it now.
- The places to inject may be marked on your skin.

## The injections
- You lie or sit in a comfortable position.
- The skin is cleaned, to lower the risk of infection.
- Some clinicians use an ultrasound scanner to guide the needle.
- You feel the needle, then pressure, aching or stinging. The numbing medicine in the
  solution starts to help after a few seconds.
- There may be several injections in one session. How long it takes depends on how many
  places are treated: ask the clinic how long to expect.

Tell the team straight away if you feel faint, dizzy or sick, or notice a strange taste in
your mouth, ringing in your ears, or numbness around your lips.

## After the injections
- You rest for a short time while the team checks that you are well.
- The area may feel numb for a few hours. Take care of it until the feeling comes back.
- You are given your aftercare instructions. You can also find them in this portal.
"""

PROCEDURE_ES = """\
## Antes de las inyecciones
- Una persona del equipo comprueba su identidad y le pregunta por su salud, sus medicamentos
  y sus alergias.
- El profesional le explica el plan y responde a sus preguntas. Si aún no ha firmado el
  consentimiento, lo firma en ese momento.
- Puede que le marquen en la piel los puntos donde se va a inyectar.

## Las inyecciones
- Se tumba o se sienta en una postura cómoda.
- Se limpia la piel para reducir el riesgo de infección.
- Algunos profesionales usan un ecógrafo para guiar la aguja.
- Notará la aguja y después presión, molestia o escozor. El anestésico de la solución
  empieza a hacer efecto a los pocos segundos.
- Puede haber varias inyecciones en una sesión. El tiempo depende de cuántas zonas se traten:
  pregunte a la clínica cuánto suele durar.

Avise al equipo enseguida si se siente mareado o con ganas de vomitar, si nota que se va a
desmayar, un sabor raro en la boca, un zumbido en los oídos o los labios dormidos.

## Después de las inyecciones
- Descansa un rato mientras el equipo comprueba que se encuentra bien.
- La zona puede quedar dormida unas horas. Cuídela hasta que vuelva a sentirla.
- Le dan las instrucciones para después de la sesión. También las encontrará en este portal.
"""

SESSIONS_EN = """\
## A usual course
Most people have several sessions. A common course is 3 to 6 sessions, 2 to 6 weeks apart.
Injections under the skin along the nerves (perineural injection therapy) are often given
once a week, for about 4 to 8 sessions. Your clinician will suggest a plan for you.

## When you may notice a change
Getting better is usually slow. Some people notice a change after two or three sessions; for
others it takes months. Some people do not get better.

## Checking your progress
Your clinic may ask you to fill in short questionnaires about your pain and daily life,
before sessions and for some months afterwards. The answers show you and your clinician
whether the treatment is helping.

## Deciding whether to go on
If the treatment is not helping after a few sessions, talk with your clinician about whether
to continue. You can decide to stop at any time.
"""

SESSIONS_ES = """\
## Un tratamiento habitual
La mayoría de las personas necesitan varias sesiones. Lo habitual son de 3 a 6 sesiones,
separadas entre 2 y 6 semanas. Las inyecciones bajo la piel a lo largo de los nervios
(terapia de inyección perineural) suelen ponerse una vez por semana, durante unas 4 a 8
sesiones. Su profesional le propondrá un plan.

## Cuándo puede notar un cambio
La mejoría suele ser lenta. Algunas personas notan un cambio después de dos o tres sesiones;
otras tardan meses. Algunas personas no mejoran.

## Seguir su evolución
Es posible que su clínica le pida rellenar cuestionarios cortos sobre su dolor y su vida
diaria, antes de las sesiones y durante algunos meses después. Las respuestas les muestran a
usted y a su profesional si el tratamiento está ayudando.

## Decidir si seguir
Si el tratamiento no ayuda después de unas cuantas sesiones, hable con su profesional sobre
si continuar. Puede decidir dejarlo en cualquier momento.
"""

AFTERCARE_EN = """\
## Expect some soreness
It is normal for the area to feel sore, stiff or swollen after a session. This often lasts 1
to 3 days, and sometimes up to about a week. The area may feel worse before it feels better.

## Pain relief
- Paracetamol (acetaminophen) is usually allowed. Take the dose on the packet, or the dose
  your clinic gives you.
- Do not take anti-inflammatory medicines, such as ibuprofen or naproxen, for as long as your
  clinic tells you. Your plan in this portal shows the dates.
- Most clinics suggest warmth, such as a warm pack, rather than ice to ease soreness. Follow
  your clinic's advice.

## Moving
- Keep moving gently, as far as is comfortable. Do not keep the area completely still.
- Avoid heavy lifting and hard, repeated use of the area for a few days, or for as long as
  your clinic says.
- Keep doing the exercises or physiotherapy your clinician has given you.

## Keep track
Your clinic may ask you to fill in a short diary for the days after each session. It helps
the clinic spot problems early. Read "When to call" to know which signs need help.
"""

AFTERCARE_ES = """\
## Es normal tener molestias
Es normal que la zona duela, esté rígida o algo hinchada después de una sesión. Suele durar
de 1 a 3 días, y a veces hasta una semana más o menos. La zona puede doler más antes de
mejorar.

## Para el dolor
- El paracetamol (acetaminofén) suele estar permitido. Tome la dosis del envase o la que le
  indique su clínica.
- No tome antiinflamatorios, como el ibuprofeno o el naproxeno, durante el tiempo que le
  indique su clínica. Su plan en este portal muestra las fechas.
- La mayoría de las clínicas aconsejan calor, como una bolsa de agua tibia, en lugar de hielo
  para aliviar las molestias. Siga los consejos de su clínica.

## Moverse
- Siga moviéndose con suavidad, hasta donde le resulte cómodo. No mantenga la zona del todo
  quieta.
- Evite cargar peso y usar la zona con esfuerzo o de forma repetida durante unos días, o el
  tiempo que le indique su clínica.
- Siga haciendo los ejercicios o la fisioterapia que le haya indicado su profesional.

## Anote cómo se encuentra
Es posible que su clínica le pida rellenar un diario corto los días después de cada sesión.
Ayuda a la clínica a detectar problemas a tiempo. Lea "Cuándo llamar" para saber qué señales
necesitan ayuda.
"""

SIDE_EFFECTS_EN = """\
## Common
Most people have some of these. They usually get better on their own within a few days.

- pain where the needle went in
- stiffness
- swelling
- bruising
- numbness for a few hours, from the numbing medicine

## Less common
- an infection where an injection was given
- bleeding under the skin
- an irritated nerve, causing burning, numbness or weakness, which is usually temporary
- an allergic reaction
- feeling faint, or fainting, during or soon after the injections

## Rare but serious
These are linked mainly to injections near the spine or on the chest:

- a severe headache after injections near the spine, if fluid leaks from around the spinal
  cord
- a collapsed lung after injections on the chest wall, causing shortness of breath or chest
  pain
- very rarely, lasting harm to a nerve or to the spinal cord

A serious reaction to the numbing medicine is also very rare. The team watches for it during
your session.

## What to do
Read "When to call" to know which signs need a call to the clinic and which need emergency
care.
"""

SIDE_EFFECTS_ES = """\
## Frecuentes
Casi todo el mundo tiene alguno. Suelen mejorar solos en pocos días.

- dolor donde entró la aguja
- rigidez
- hinchazón
- moratones
- la zona dormida unas horas, por el anestésico

## Menos frecuentes
- una infección en el lugar de una inyección
- sangrado bajo la piel
- un nervio irritado, que causa ardor, entumecimiento o debilidad, normalmente pasajeros
- una reacción alérgica
- sensación de desmayo, o desmayo, durante las inyecciones o poco después

## Raros pero graves
Se relacionan sobre todo con las inyecciones cerca de la columna o en el pecho:

- un dolor de cabeza fuerte después de inyecciones cerca de la columna, si se sale líquido
  de alrededor de la médula espinal
- un pulmón colapsado después de inyecciones en la pared del pecho, que causa falta de aire
  o dolor en el pecho
- muy rara vez, un daño duradero en un nervio o en la médula espinal

Una reacción grave al anestésico también es muy rara. El equipo vigila que no ocurra durante
la sesión.

## Qué hacer
Lea "Cuándo llamar" para saber qué señales necesitan una llamada a la clínica y cuáles
necesitan atención de urgencia.
"""

WHEN_TO_CALL_EN = """\
## Call your emergency number now if you have
- trouble breathing, or pain in your chest
- signs of a severe allergic reaction: swelling of your face, lips, tongue or throat, or a
  rash spreading fast with dizziness
- new numbness or weakness, or numbness or weakness that is spreading, once the numbing
  medicine should have worn off
- a sudden, severe headache after injections near your spine
- fainting and not coming round quickly, or a fit (seizure)

## Call the clinic today if you have
- a fever, or you feel hot and shivery
- redness that is spreading, or warmth, pus or fluid coming from a place where you had an
  injection
- bleeding that does not stop when you press on it firmly
- a severe headache, if you did not have injections near your spine
- very bad pain (8 out of 10 or worse)
- soreness that gets worse instead of better after the first few days, or lasts longer than
  your clinic said it might

## If you are not sure
Call the clinic: it is always fine to ask. If the clinic is closed and you are worried, call
your out-of-hours health service, or your emergency number if it cannot wait.
"""

WHEN_TO_CALL_ES = """\
## Llame ahora al número de emergencias si tiene
- dificultad para respirar o dolor en el pecho
- señales de una reacción alérgica grave: hinchazón de la cara, los labios, la lengua o la
  garganta, o un sarpullido que se extiende rápido con mareo
- entumecimiento o debilidad nuevos, o que se extienden, cuando ya debería haber pasado el
  efecto del anestésico
- un dolor de cabeza repentino y fuerte después de inyecciones cerca de la columna
- un desmayo del que no se recupera pronto, o una convulsión

## Llame hoy a la clínica si tiene
- fiebre, o siente calor y escalofríos
- enrojecimiento que se extiende, o calor, pus o líquido que sale de donde le pusieron una
  inyección
- sangrado que no para al apretar con fuerza
- un dolor de cabeza fuerte, si no le pusieron inyecciones cerca de la columna
- un dolor muy fuerte (8 de 10 o más)
- molestias que empeoran en vez de mejorar después de los primeros días, o que duran más de
  lo que le dijo su clínica

## Si no está seguro
Llame a la clínica: siempre se puede preguntar. Si la clínica está cerrada y está preocupado,
llame al servicio de salud fuera de horario, o al número de emergencias si no puede esperar.
"""

# slug → (English title, summary, body), (Spanish title, summary, body); in reading order.
_TOPICS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "what-is-prolotherapy": (
        (
            "What is prolotherapy?",
            "What the treatment is, who it may help, and what the research says.",
            WHAT_IT_IS_EN,
        ),
        (
            "¿Qué es la proloterapia?",
            "Qué es el tratamiento, a quién puede ayudar y qué dicen los estudios.",
            WHAT_IT_IS_ES,
        ),
    ),
    "types-of-prolotherapy": (
        (
            "Types of prolotherapy",
            "The different solutions and ways of injecting, and how they differ.",
            TYPES_EN,
        ),
        (
            "Tipos de proloterapia",
            "Las distintas soluciones y formas de inyectar, y en qué se diferencian.",
            TYPES_ES,
        ),
    ),
    "how-it-works": (
        (
            "How prolotherapy works",
            "What researchers think happens, and why it takes time.",
            HOW_IT_WORKS_EN,
        ),
        (
            "Cómo actúa la proloterapia",
            "Qué creen los investigadores que ocurre, y por qué lleva tiempo.",
            HOW_IT_WORKS_ES,
        ),
    ),
    "preparing": (
        (
            "Preparing for a session",
            "Medicines to pause, what to tell the clinic, and what to bring.",
            PREPARING_EN,
        ),
        (
            "Cómo prepararse para una sesión",
            "Qué medicamentos dejar, qué avisar a la clínica y qué traer.",
            PREPARING_ES,
        ),
    ),
    "the-procedure": (
        (
            "What happens at a session",
            "Step by step, from arriving to going home.",
            PROCEDURE_EN,
        ),
        (
            "Qué ocurre en una sesión",
            "Paso a paso, desde que llega hasta que vuelve a casa.",
            PROCEDURE_ES,
        ),
    ),
    "how-many-sessions": (
        (
            "How many sessions you may need",
            "The usual number of sessions, how far apart, and when to review.",
            SESSIONS_EN,
        ),
        (
            "Cuántas sesiones puede necesitar",
            "El número habitual de sesiones, cada cuánto y cuándo revisar.",
            SESSIONS_ES,
        ),
    ),
    "aftercare": (
        (
            "Aftercare: the days after a session",
            "What to expect, pain relief, and moving after each session.",
            AFTERCARE_EN,
        ),
        (
            "Cuidados: los días después de una sesión",
            "Qué esperar, cómo aliviar el dolor y cómo moverse después de cada sesión.",
            AFTERCARE_ES,
        ),
    ),
    "side-effects": (
        (
            "Side effects",
            "Common, less common and rare side effects.",
            SIDE_EFFECTS_EN,
        ),
        (
            "Efectos secundarios",
            "Efectos secundarios frecuentes, menos frecuentes y raros.",
            SIDE_EFFECTS_ES,
        ),
    ),
    "when-to-call": (
        (
            "When to call",
            "Which signs need emergency care now, and which need a call to the clinic.",
            WHEN_TO_CALL_EN,
        ),
        (
            "Cuándo llamar",
            "Qué señales necesitan urgencias ahora y cuáles una llamada a la clínica.",
            WHEN_TO_CALL_ES,
        ),
    ),
}

TOPICS: tuple[str, ...] = tuple(_TOPICS)
LANGUAGES: tuple[str, ...] = ("en", "es")

DEFAULT_ARTICLES: tuple[DefaultArticle, ...] = tuple(
    DefaultArticle(slug, language, position, *texts)
    for position, (slug, by_language) in enumerate(_TOPICS.items(), start=1)
    for language, texts in zip(LANGUAGES, by_language, strict=True)
)
