"""Controlled vocabularies: UNHCR specific-needs codes (domain.md 3.1), reasons, violence, perpetrators."""

from django.db import migrations

SPECIFIC_NEEDS = [
    # code, group, es, en
    ("CR-CP", "CR", "Niño/a padre o madre", "Child parent"),
    ("CR-CS", "CR", "Niño/a cónyuge", "Child spouse"),
    ("CR-CC", "CR", "Niño/a cuidador/a", "Child carer"),
    ("CR-TP", "CR", "Embarazo adolescente", "Teenage pregnancy"),
    ("CR-LW", "CR", "Peores formas de trabajo infantil", "Worst forms of child labour"),
    ("CR-LO", "CR", "Otro trabajo infantil", "Other child labour"),
    ("CR-NE", "CR", "En riesgo de no asistir a la escuela", "At risk of not attending school"),
    ("CR-SE", "CR", "Necesidades educativas especiales", "Special education needs"),
    ("CR-AF", "CR", "Asociado/a a fuerzas o grupos armados", "Associated with armed forces or groups"),
    ("CR-CL", "CR", "En conflicto con la ley", "In conflict with the law"),
    ("SC-SC", "SC", "Niño/a separado/a", "Separated child"),
    ("SC-UC", "SC", "Niño/a no acompañado/a", "Unaccompanied child"),
    ("SC-CH", "SC", "Hogar encabezado por niño/a", "Child-headed household"),
    ("SC-IC", "SC", "En cuidado institucional", "In institutional care"),
    ("SC-FC", "SC", "En cuidado de acogida", "In foster care"),
    ("WR-WR", "WR", "Mujer en riesgo", "Woman at risk"),
    ("WR-SF", "WR", "Mujer sola en riesgo", "Single woman at risk"),
    ("WR-LC", "WR", "Mujer lactante", "Lactation"),
    ("ER-NF", "ER", "Persona mayor sola", "Single older person"),
    ("ER-MC", "ER", "Persona mayor con niños/as", "Older person with children"),
    ("ER-FR", "ER", "Persona mayor que no puede cuidarse", "Older person unable to care for self"),
    ("SP-PT", "SP", "Madre o padre solo/a", "Single parent"),
    ("SP-GP", "SP", "Abuelo/a a cargo", "Single grandparent"),
    ("SP-CG", "SP", "Cuidador/a solo/a", "Single caregiver"),
    ("DS-BD", "DS", "Discapacidad visual", "Visual impairment"),
    ("DS-DF", "DS", "Discapacidad auditiva", "Hearing impairment"),
    ("DS-PM", "DS", "Discapacidad física moderada", "Physical disability, moderate"),
    ("DS-PS", "DS", "Discapacidad física severa", "Physical disability, severe"),
    ("DS-MM", "DS", "Discapacidad mental moderada", "Mental disability, moderate"),
    ("DS-MS", "DS", "Discapacidad mental severa", "Mental disability, severe"),
    ("DS-SD", "DS", "Discapacidad del habla", "Speech impairment"),
    ("SM-MI", "SM", "Enfermedad mental", "Mental illness"),
    ("SM-MN", "SM", "Desnutrición", "Malnutrition"),
    ("SM-DP", "SM", "Embarazo de riesgo", "Difficult pregnancy"),
    ("SM-CI", "SM", "Enfermedad crónica", "Chronic illness"),
    ("SM-CC", "SM", "Condición médica crítica", "Critical medical condition"),
    ("SM-OT", "SM", "Otra condición médica", "Other medical condition"),
    ("SM-AD", "SM", "Adicción", "Addiction"),
    ("FU-TR", "FU", "Requiere búsqueda de familiares", "Tracing required"),
    ("FU-FR", "FU", "Requiere reunificación familiar", "Family reunification required"),
    ("LP-ND", "LP", "Sin documentación legal", "No legal documentation"),
    ("LP-BN", "LP", "Necesidades básicas insatisfechas", "Unmet basic needs"),
    ("LP-NA", "LP", "Sin acceso a servicios", "No access to services"),
    ("LP-MM", "LP", "Matrimonio mixto", "Mixed marriage"),
    ("LP-MD", "LP", "Desplazamientos múltiples", "Multiple displacements"),
    ("LP-RR", "LP", "Riesgo de devolución (refoulement)", "At risk of refoulement"),
    ("LP-RD", "LP", "Riesgo de expulsión", "At risk of removal"),
    ("LP-DA", "LP", "Detenido/a en país de asilo", "Detained in asylum country"),
    ("LP-DO", "LP", "Detenido/a en país de origen", "Detained in country of origin"),
    ("LP-DT", "LP", "Detenido/a en otro lugar", "Detained elsewhere"),
    ("LP-IH", "LP", "En escondite", "In hiding"),
    ("LP-WP", "LP", "Sin protección de testigos", "No witness protection"),
    ("LP-AN", "LP", "Violencia, abuso o negligencia", "Violence, abuse or neglect"),
    ("LP-RP", "LP", "En riesgo por su perfil", "At risk due to profile"),
    ("LP-MS", "LP", "Marginado/a", "Marginalised"),
    ("LP-LS", "LP", "Sin perspectivas de solución duradera", "No durable-solution prospects"),
    ("LP-AP", "LP", "Presunto/a perpetrador/a", "Alleged perpetrator"),
    ("LP-CR", "LP", "Antecedentes penales", "Criminal record"),
    ("LP-ST", "LP", "Amenaza a la seguridad del personal", "Security threat to staff"),
    ("LP-AF", "LP", "Antes asociado/a a fuerzas o grupos armados", "Formerly associated with armed forces or groups"),
    ("TR-PI", "TR", "Secuelas de tortura", "Impairment due to torture"),
    ("TR-HO", "TR", "Obligado/a a cometer actos atroces", "Forced to egregious acts"),
    ("TR-WV", "TR", "Testigo de violencia", "Witness of violence"),
    ("SV-VA", "SV", "Sobreviviente de VSBG en país de asilo", "SGBV survivor in asylum country"),
    ("SV-VF", "SV", "Sobreviviente de VSBG durante la huida", "SGBV survivor during flight"),
    ("SV-VO", "SV", "Sobreviviente de VSBG en país de origen", "SGBV survivor in country of origin"),
    ("SV-GM", "SV", "Mutilación genital femenina", "Female genital mutilation"),
    ("SV-HP", "SV", "Prácticas tradicionales nocivas", "Harmful traditional practices"),
    ("SV-HK", "SV", "Amenaza de crimen de honor", "Threat of honour killing"),
    ("SV-FM", "SV", "Matrimonio forzado o temprano", "Forced or early marriage"),
    ("SV-SS", "SV", "Sexo por supervivencia", "Survival sex"),
]

REASONS = [
    ("unemployment", "economic", "Desempleo", "Unemployment"),
    ("better_job", "economic", "Buscar mejor empleo", "Better job"),
    ("low_income", "economic", "Ingresos insuficientes", "Low income"),
    ("family", "", "Reunificación familiar", "Family reunification"),
    ("violence", "", "Violencia o inseguridad", "Violence or insecurity"),
    ("health", "", "Salud", "Health"),
    ("studies", "", "Estudios", "Studies"),
    ("disaster", "", "Desastres o clima (huracanes, sequía)", "Disasters or climate (hurricanes, drought)"),
    ("other", "", "Otra razón", "Other reason"),
]

VIOLENCE = [
    ("threat", "Amenazas", "Threats"),
    ("extortion", "Extorsión", "Extortion"),
    ("recruitment", "Reclutamiento forzado", "Forced recruitment"),
    ("homicide_relative", "Homicidio de un familiar", "Murder of a relative"),
    ("injury", "Agresión o lesiones", "Assault or injuries"),
    ("sexual", "Violencia sexual", "Sexual violence"),
    ("domestic", "Violencia doméstica o de pareja", "Domestic or partner violence"),
    ("kidnapping", "Secuestro o desaparición", "Kidnapping or disappearance"),
    ("dispossession", "Despojo de tierra o vivienda", "Dispossession of land or housing"),
    ("mobility", "Restricción de movilidad (fronteras invisibles)", "Restricted mobility (invisible borders)"),
    ("discrimination", "Discriminación o violencia por identidad", "Discrimination or violence for identity"),
    ("other", "Otra violencia", "Other violence"),
]

PERPETRATORS = [
    ("gang", "Mara o pandilla", "Gang (mara or pandilla)"),
    ("organised_crime", "Crimen organizado o narcotráfico", "Organised crime or drug trafficking"),
    ("family", "Familiar o pareja", "Family member or partner"),
    ("state_agent", "Agente del Estado", "State agent"),
    ("unknown", "Desconocido", "Unknown"),
    ("other", "Otro", "Other"),
]

IMMEDIATE = [
    ("health", "Atención de salud", "Health care"),
    ("shelter", "Albergue", "Shelter"),
    ("transport", "Transporte a su destino", "Transport to destination"),
    ("documents", "Documentos de identidad", "Identity documents"),
    ("food", "Alimentación", "Food"),
    ("psychosocial", "Apoyo psicosocial", "Psychosocial support"),
    ("call", "Llamada a familiares", "Call to family"),
    ("legal", "Orientación legal", "Legal advice"),
]


def load(apps, schema_editor):
    Term = apps.get_model("reference", "Term")
    rows = []
    for i, (code, group, es, en) in enumerate(SPECIFIC_NEEDS):
        rows.append(Term(vocabulary="specific_need", code=code, group=group, label_es=es, label_en=en, sort=i))
    for i, (code, group, es, en) in enumerate(REASONS):
        rows.append(Term(vocabulary="migration_reason", code=code, group=group, label_es=es, label_en=en, sort=i))
    for vocab, items in (("violence_type", VIOLENCE), ("perpetrator_type", PERPETRATORS), ("immediate_need", IMMEDIATE)):
        for i, (code, es, en) in enumerate(items):
            rows.append(Term(vocabulary=vocab, code=code, label_es=es, label_en=en, sort=i))
    Term.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("reference", "Term").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
