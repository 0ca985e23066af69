"""The consent documents Prolo ships, one per course type, in English and Spanish.

Written for Prolo in plain language (a reading age of about 12) from the team's domain notes
(§9 informed consent, §8 adverse events, §6 preparation). A clinic gets them as published
version 1 the first time a consent is needed (services/consent.py::consent_defaults_install)
and edits its own copies from there.

Each document is Markdown with one `##` heading per section; REQUIRED_SECTIONS lists the
headings a document must keep to be published.
"""

from __future__ import annotations

from dataclasses import dataclass

from prolo.clinic.models import CourseType, Language

REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    Language.ENGLISH: (
        "What this treatment is",
        "How it may help",
        "Other options",
        "What to expect",
        "Common effects",
        "Less common and serious risks",
        "Your right to stop",
        "Medical disclaimer",
    ),
    Language.SPANISH: (
        "Qué es este tratamiento",
        "Cómo puede ayudar",
        "Otras opciones",
        "Qué esperar",
        "Efectos frecuentes",
        "Riesgos menos frecuentes y graves",
        "Su derecho a parar",
        "Aviso médico",
    ),
}
SHIPPED_LANGUAGES = (Language.ENGLISH, Language.SPANISH)


def required_sections(language: str) -> tuple[str, ...]:
    """The headings a document in `language` must have (English ones for any other language)."""
    return REQUIRED_SECTIONS.get(language, REQUIRED_SECTIONS[Language.ENGLISH])


@dataclass(frozen=True)
class DefaultDocument:
    course_type: str
    language: str
    title: str
    body: str


# ---------------------------------------------------------------------------------------------
# English

_EN_TITLE: dict[str, str] = {
    CourseType.DEXTROSE: "Consent: dextrose prolotherapy",
    CourseType.SALINE: "Consent: saline injections",
    CourseType.PRP: "Consent: platelet-rich plasma (PRP) injections",
    CourseType.PERINEURAL: "Consent: perineural injection therapy",
    CourseType.OTHER: "Consent: injection therapy",
}

_EN_WHAT: dict[str, str] = {
    CourseType.DEXTROSE: (
        "Prolotherapy means injections of a sugar solution (dextrose, stronger than the sugar "
        "in your blood) mixed with a numbing medicine. Small amounts go where ligaments and "
        "tendons attach to bone, and sometimes into the joint. It is given over several "
        "sessions. Nobody knows exactly how it works."
    ),
    CourseType.SALINE: (
        "These are injections of salt water (saline, 0.9%), sometimes mixed with a numbing "
        "medicine, where ligaments and tendons attach to bone or into a joint, over several "
        "sessions."
    ),
    CourseType.PRP: (
        "Platelet-rich plasma (PRP) is made from your own blood. We take a small amount of "
        "blood from your arm, spin it in a machine to collect the platelets, and inject them "
        "into or around the painful tendon or joint, often using an ultrasound scanner to "
        "guide the needle."
    ),
    CourseType.PERINEURAL: (
        "Perineural injection therapy uses a mild sugar solution (5% dextrose, close to the "
        "sugar level of your body). Many small injections go just under the skin, along "
        "nerves that are sore. The idea is that it calms irritated nerves, but this is not "
        "proven."
    ),
    CourseType.OTHER: (
        "This is a course of injections into or around a painful joint, ligament or tendon. "
        "Your clinician will tell you which solution they plan to use, where, and why, and "
        "will write it in your record. Ask them to explain anything that is not clear."
    ),
}

_EN_OFF_LABEL = (
    "The medicines used are approved medicines, but not approved for this use. This is called "
    '"off-label" use. It is common and allowed, but you should know about it.'
)
_EN_OFF_LABEL_PRP = (
    "PRP comes from your own blood, so it is not a licensed medicine. Any numbing medicine "
    'used with it is an approved medicine used "off-label" (not for its approved use).'
)

_EN_HELP: dict[str, str] = {
    CourseType.DEXTROSE: (
        "The research is made of small studies of mixed quality. In several trials, dextrose "
        "injections helped knee osteoarthritis, and they probably help finger osteoarthritis "
        "and a knee problem of young people called Osgood–Schlatter disease. For some other "
        "problems, such as low back pain treated with injections alone, trials did not show a "
        "clear benefit. Many health insurers call prolotherapy experimental and do not pay for "
        "it."
    ),
    CourseType.SALINE: (
        "Saline is mostly used in research as the comparison treatment. People who had saline "
        "injections in trials often improved too, but saline is not a recognised active "
        "prolotherapy treatment. Ask your clinician why they suggest it for you. Many health "
        "insurers do not pay for injection therapies like this."
    ),
    CourseType.PRP: (
        "Small studies suggest PRP may help some tendon and joint problems, but results vary "
        "from study to study. When PRP and dextrose prolotherapy were compared, neither was "
        "clearly better. Many health insurers call PRP experimental and do not pay for it."
    ),
    CourseType.PERINEURAL: (
        "The evidence is weak: most of it comes from clinics' own reports, not from strong "
        "trials. Some people say their pain eased; others noticed no change. Many health "
        "insurers call it experimental and do not pay for it."
    ),
    CourseType.OTHER: (
        "How well it works depends on the solution and the problem treated. For most "
        "injection therapies of this kind, the studies are small and their results mixed. "
        "Your clinician will tell you what is known for your treatment. Many health insurers "
        "do not pay for it."
    ),
}

_EN_SESSIONS: dict[str, str] = {
    CourseType.PERINEURAL: "often weekly, 4 to 8 sessions",
}
_EN_SESSIONS_USUAL = "often 3 to 6 sessions, 2 to 6 weeks apart"

_EN_COMMON_EXTRA: dict[str, str] = {
    CourseType.PRP: "- Bruising or soreness where the blood was taken.\n",
    CourseType.PERINEURAL: "- Small red marks or bumps where the needles went in.\n",
}

_EN_TEMPLATE = """\
This document explains the treatment your clinician has suggested. Please read it, and ask \
about anything that is not clear before you sign.

## What this treatment is

{what}

{off_label}

## How it may help

{help}

## Other options

Injection treatment like this is **not a first treatment**. Most people try other things \
first, and you can choose any of them instead:

- exercise and physiotherapy;
- losing weight, if extra weight strains the painful joint;
- pain medicines, such as paracetamol or anti-inflammatories;
- a brace or support;
- other injections, such as a steroid or hyaluronic acid;
- for some problems, an operation;
- waiting and doing nothing for now.

Your clinician has talked through these options with you.

## What to expect

- Most people need several sessions, {sessions}. Your clinician will tell you how many \
they plan.
- If it helps, the benefit may take weeks or months to show.
- Some people do not get better at all.
- Each session has a cost. Your clinician or the front desk will tell you the cost per \
session and the likely total before you start. Your insurer may not pay.

## Common effects

- Pain and stiffness where you were injected. It is often worse for a few days before it \
gets better (a "flare"), usually 1 to 3 days, sometimes up to a week.
- Bruising.
- Swelling.
- Numbness for a few hours from the numbing medicine.
{common_extra}
## Less common and serious risks

- **Infection.** Contact the clinic if you get a fever, spreading redness, heat, or pus \
where you were injected.
- **Bleeding** under the skin, which is more likely if you take blood thinners.
- **Nerve injury**: burning, numbness or weakness. It is usually temporary.
- **Allergic reaction.** Very rarely this is severe and needs emergency treatment.
- **A reaction to the numbing medicine** if too much reaches the blood: tingling around \
the mouth, a metal taste, ringing ears, confusion or a fit. This is rare; we keep doses \
within safe limits.
- **Fainting** or feeling dizzy during or after the injection.
- **Injections near the spine** can rarely cause a bad headache when you sit or stand up \
(a "spinal headache"), and very rarely injury to the spinal cord.
- **Injections at the chest wall or upper back** can rarely cause a collapsed lung. \
Sudden shortness of breath or chest pain needs emergency care at once.

## Medicines before and after

- Tell us about every medicine you take. If you take a blood thinner, never stop it \
without asking the doctor who prescribed it.
- We usually ask you to stop anti-inflammatory pain medicines (such as ibuprofen or \
naproxen) for some days before and after each session, and to avoid steroid medicines \
around treatment. Paracetamol is usually fine. Your preparation sheet gives your dates.
- Tell us if you are or may be pregnant, have diabetes, have an infection, or have a \
bleeding problem. For a young person under 18, a parent or guardian signs too.

## Your right to stop

You can say no, or stop at any time, even in the middle of a session or a course. \
Stopping will not change how the clinic cares for you. You can take back this consent in \
the portal or by telling the clinic.

## Medical disclaimer

This document is general information to help you decide. It does not replace a talk with \
your clinician, who knows your health. Ask any questions before you sign. In an \
emergency, call your local emergency number.
"""


# ---------------------------------------------------------------------------------------------
# Spanish

_ES_TITLE: dict[str, str] = {
    CourseType.DEXTROSE: "Consentimiento: proloterapia con dextrosa",
    CourseType.SALINE: "Consentimiento: inyecciones de suero salino",
    CourseType.PRP: "Consentimiento: inyecciones de plasma rico en plaquetas (PRP)",
    CourseType.PERINEURAL: "Consentimiento: terapia de inyección perineural",
    CourseType.OTHER: "Consentimiento: terapia con inyecciones",
}

_ES_WHAT: dict[str, str] = {
    CourseType.DEXTROSE: (
        "La proloterapia consiste en inyecciones de una solución de azúcar (dextrosa, más "
        "concentrada que el azúcar de la sangre) mezclada con un anestésico. Se ponen pequeñas "
        "cantidades donde los ligamentos y tendones se unen al hueso, y a veces dentro de la "
        "articulación. Se hace en varias sesiones. Nadie sabe con exactitud cómo funciona."
    ),
    CourseType.SALINE: (
        "Son inyecciones de agua con sal (suero salino al 0,9 %), a veces mezclado con un "
        "anestésico, donde los ligamentos y tendones se unen al hueso o dentro de una "
        "articulación, en varias sesiones."
    ),
    CourseType.PRP: (
        "El plasma rico en plaquetas (PRP) se prepara con su propia sangre. Le sacamos un poco "
        "de sangre del brazo, la giramos en una máquina para separar las plaquetas y las "
        "inyectamos en el tendón o la articulación que duele o a su alrededor, a menudo con "
        "una ecografía para guiar la aguja."
    ),
    CourseType.PERINEURAL: (
        "La terapia de inyección perineural usa una solución suave de azúcar (dextrosa al 5 %, "
        "parecida al nivel de azúcar de su cuerpo). Se ponen muchas inyecciones pequeñas justo "
        "debajo de la piel, a lo largo de nervios doloridos. La idea es que calma los nervios "
        "irritados, pero no está demostrado."
    ),
    CourseType.OTHER: (
        "Es una serie de inyecciones en una articulación, ligamento o tendón que duele, o a su "
        "alrededor. Su médico le dirá qué solución piensa usar, dónde y por qué, y lo anotará "
        "en su historia. Pídale que le explique todo lo que no esté claro."
    ),
}

_ES_OFF_LABEL = (
    "Los medicamentos que se usan están aprobados, pero no para este uso. Esto se llama uso "
    "«fuera de indicación». Es habitual y está permitido, pero usted debe saberlo."
)
_ES_OFF_LABEL_PRP = (
    "El PRP sale de su propia sangre, así que no es un medicamento con licencia. El anestésico "
    "que se use con él es un medicamento aprobado usado «fuera de indicación» (no para su uso "
    "aprobado)."
)

_ES_HELP: dict[str, str] = {
    CourseType.DEXTROSE: (
        "La investigación se basa en estudios pequeños y de calidad variable. En varios "
        "ensayos, las inyecciones de dextrosa ayudaron en la artrosis de rodilla, y "
        "probablemente ayudan en la artrosis de los dedos y en un problema de rodilla de los "
        "jóvenes llamado enfermedad de Osgood-Schlatter. Para otros problemas, como el dolor "
        "de espalda baja tratado solo con inyecciones, los ensayos no mostraron un beneficio "
        "claro. Muchas aseguradoras consideran la proloterapia experimental y no la pagan."
    ),
    CourseType.SALINE: (
        "El suero salino se usa sobre todo en la investigación como tratamiento de "
        "comparación. Las personas que lo recibieron en los ensayos a menudo también "
        "mejoraron, pero no es un tratamiento activo reconocido de proloterapia. Pregunte a su "
        "médico por qué se lo propone. Muchas aseguradoras no pagan este tipo de inyecciones."
    ),
    CourseType.PRP: (
        "Estudios pequeños sugieren que el PRP puede ayudar en algunos problemas de tendones y "
        "articulaciones, pero los resultados cambian de un estudio a otro. Cuando se comparó "
        "el PRP con la proloterapia con dextrosa, ninguno fue claramente mejor. Muchas "
        "aseguradoras consideran el PRP experimental y no lo pagan."
    ),
    CourseType.PERINEURAL: (
        "Las pruebas son débiles: la mayoría vienen de informes de las propias clínicas, no de "
        "ensayos sólidos. Algunas personas dicen que su dolor mejoró; otras no notaron "
        "cambios. Muchas aseguradoras la consideran experimental y no la pagan."
    ),
    CourseType.OTHER: (
        "Su eficacia depende de la solución y del problema tratado. Para la mayoría de estas "
        "terapias con inyecciones, los estudios son pequeños y sus resultados, variables. Su "
        "médico le dirá qué se sabe de su tratamiento. Muchas aseguradoras no lo pagan."
    ),
}

_ES_SESSIONS: dict[str, str] = {
    CourseType.PERINEURAL: "a menudo semanales, de 4 a 8 sesiones",
}
_ES_SESSIONS_USUAL = "a menudo de 3 a 6 sesiones, separadas de 2 a 6 semanas"

_ES_COMMON_EXTRA: dict[str, str] = {
    CourseType.PRP: "- Moratón o dolor donde se sacó la sangre.\n",
    CourseType.PERINEURAL: "- Pequeñas marcas rojas o bultos donde entraron las agujas.\n",
}

_ES_TEMPLATE = """\
Este documento explica el tratamiento que le ha propuesto su médico. Léalo y pregunte todo \
lo que no esté claro antes de firmar.

## Qué es este tratamiento

{what}

{off_label}

## Cómo puede ayudar

{help}

## Otras opciones

Un tratamiento con inyecciones como este **no es un primer tratamiento**. La mayoría de las \
personas prueban otras cosas antes, y usted puede elegir cualquiera de ellas en su lugar:

- ejercicio y fisioterapia;
- bajar de peso, si el peso de más carga la articulación que duele;
- medicamentos para el dolor, como paracetamol o antiinflamatorios;
- una férula o un soporte;
- otras inyecciones, como un corticoide o ácido hialurónico;
- para algunos problemas, una operación;
- esperar y no hacer nada por ahora.

Su médico ha hablado con usted de estas opciones.

## Qué esperar

- La mayoría de las personas necesitan varias sesiones, {sessions}. Su médico le dirá \
cuántas tiene previstas.
- Si ayuda, la mejoría puede tardar semanas o meses en notarse.
- Algunas personas no mejoran nada.
- Cada sesión tiene un coste. Su médico o la recepción le dirán el precio por sesión y el \
total probable antes de empezar. Puede que su aseguradora no lo pague.

## Efectos frecuentes

- Dolor y rigidez donde le pincharon. A menudo empeora unos días antes de mejorar (un \
«brote»), normalmente de 1 a 3 días, a veces hasta una semana.
- Moratones.
- Hinchazón.
- Adormecimiento durante unas horas por el anestésico.
{common_extra}
## Riesgos menos frecuentes y graves

- **Infección.** Llame a la clínica si tiene fiebre, enrojecimiento que se extiende, calor \
o pus donde le pincharon.
- **Sangrado** bajo la piel, más probable si toma medicamentos para hacer la sangre más \
líquida (anticoagulantes).
- **Lesión de un nervio**: ardor, adormecimiento o debilidad. Suele ser pasajera.
- **Reacción alérgica.** Muy rara vez es grave y necesita tratamiento de urgencia.
- **Una reacción al anestésico** si llega demasiado a la sangre: hormigueo alrededor de la \
boca, sabor a metal, pitidos en los oídos, confusión o convulsiones. Es raro; usamos dosis \
dentro de límites seguros.
- **Desmayo** o mareo durante o después de la inyección.
- **Las inyecciones cerca de la columna** rara vez causan un dolor de cabeza fuerte al \
sentarse o ponerse de pie («cefalea espinal»), y muy rara vez una lesión de la médula \
espinal.
- **Las inyecciones en la pared del pecho o la parte alta de la espalda** rara vez causan \
un pulmón colapsado. La falta de aire repentina o el dolor de pecho necesitan atención de \
urgencia enseguida.

## Medicamentos antes y después

- Díganos todos los medicamentos que toma. Si toma un anticoagulante, no lo deje nunca sin \
preguntar al médico que se lo recetó.
- Normalmente le pedimos que deje los antiinflamatorios (como ibuprofeno o naproxeno) unos \
días antes y después de cada sesión, y que evite los corticoides durante el tratamiento. El \
paracetamol suele estar permitido. Su hoja de preparación le da las fechas.
- Díganos si está o puede estar embarazada, si tiene diabetes, una infección o un problema \
de sangrado. Si es menor de 18 años, también firma su madre, padre o tutor.

## Su derecho a parar

Puede decir que no, o parar en cualquier momento, incluso a mitad de una sesión o de una \
serie. Parar no cambiará cómo le atiende la clínica. Puede retirar este consentimiento en el \
portal o diciéndoselo a la clínica.

## Aviso médico

Este documento es información general para ayudarle a decidir. No sustituye una \
conversación con su médico, que conoce su salud. Haga todas sus preguntas antes de firmar. \
En una urgencia, llame a su número local de emergencias.
"""


def _english(course_type: str) -> DefaultDocument:
    body = _EN_TEMPLATE.format(
        what=_EN_WHAT[course_type],
        off_label=_EN_OFF_LABEL_PRP if course_type == CourseType.PRP else _EN_OFF_LABEL,
        help=_EN_HELP[course_type],
        sessions=_EN_SESSIONS.get(course_type, _EN_SESSIONS_USUAL),
        common_extra=_EN_COMMON_EXTRA.get(course_type, ""),
    )
    return DefaultDocument(course_type, Language.ENGLISH, _EN_TITLE[course_type], body)


def _spanish(course_type: str) -> DefaultDocument:
    body = _ES_TEMPLATE.format(
        what=_ES_WHAT[course_type],
        off_label=_ES_OFF_LABEL_PRP if course_type == CourseType.PRP else _ES_OFF_LABEL,
        help=_ES_HELP[course_type],
        sessions=_ES_SESSIONS.get(course_type, _ES_SESSIONS_USUAL),
        common_extra=_ES_COMMON_EXTRA.get(course_type, ""),
    )
    return DefaultDocument(course_type, Language.SPANISH, _ES_TITLE[course_type], body)


def default_documents() -> list[DefaultDocument]:
    """Every shipped document: each course type in English and in Spanish."""
    return [make(t) for t in CourseType.values for make in (_english, _spanish)]
