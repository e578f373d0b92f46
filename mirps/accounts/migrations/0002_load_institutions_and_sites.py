"""Institutions of the 29 Sept 2022 meeting and the reception and entry points (domain.md 1.2)."""

from django.db import migrations

INSTITUTIONS = [
    # code, kind, es, en
    ("sreci-dgphm", "government", "SRECI – Dirección General de Protección al Hondureño Migrante", "Foreign Affairs – Directorate for the Protection of Honduran Migrants"),
    ("inm", "government", "Instituto Nacional de Migración", "National Migration Institute"),
    ("dinaf", "government", "Dirección de Niñez, Adolescencia y Familia", "Directorate for Children, Adolescents and the Family"),
    ("sedh", "government", "Secretaría de Derechos Humanos – Dirección de Protección de Personas Desplazadas", "Ministry of Human Rights – Directorate for the Protection of Displaced Persons"),
    ("seduc", "government", "Secretaría de Educación", "Ministry of Education"),
    ("sedesol", "government", "Secretaría de Desarrollo Social", "Ministry of Social Development"),
    ("stss", "government", "Secretaría de Trabajo y Seguridad Social", "Ministry of Labour and Social Security"),
    ("sesal", "government", "Secretaría de Salud", "Ministry of Health"),
    ("semujer", "government", "Secretaría de la Mujer", "Ministry for Women"),
    ("seguridad", "government", "Secretaría de Seguridad", "Ministry of Security"),
    ("sgjd", "government", "Secretaría de Gobernación, Justicia y Descentralización", "Ministry of the Interior and Justice"),
    ("ip", "government", "Instituto de la Propiedad", "Property Institute"),
    ("infop", "government", "Instituto Nacional de Formación Profesional", "National Institute for Professional Training"),
    ("rnp", "government", "Registro Nacional de las Personas", "National Registry of Persons"),
    ("conadeh", "government", "Comisionado Nacional de los Derechos Humanos", "National Human Rights Commissioner"),
    ("coneanfo", "government", "Comisión Nacional para el Desarrollo de la Educación Alternativa No Formal", "National Commission for Non-Formal Education"),
    ("amhon", "municipality", "Asociación de Municipios de Honduras", "Association of Municipalities of Honduras"),
    ("muni-sps", "municipality", "Municipalidad de San Pedro Sula (UMAR)", "San Pedro Sula municipality (UMAR)"),
    ("muni-dc", "municipality", "Alcaldía del Distrito Central (UMAR)", "Central District municipality (UMAR)"),
    ("acnur", "un_agency", "ACNUR", "UNHCR"),
    ("oim", "un_agency", "OIM", "IOM"),
    ("unicef", "un_agency", "UNICEF", "UNICEF"),
    ("unfpa", "un_agency", "UNFPA", "UNFPA"),
    ("oacnudh", "un_agency", "OACNUDH", "OHCHR"),
    ("onu-mujeres", "un_agency", "ONU Mujeres", "UN Women"),
    ("ue", "donor", "Unión Europea", "European Union"),
    ("brasil", "donor", "Brasil", "Brazil"),
    ("eeuu", "donor", "Estados Unidos", "United States"),
    ("canada", "donor", "Canadá", "Canada"),
    ("chile", "donor", "Chile", "Chile"),
    ("espana", "donor", "España", "Spain"),
    ("japon", "donor", "Japón", "Japan"),
    ("mexico", "donor", "México", "Mexico"),
    ("francia", "donor", "Francia", "France"),
    ("alemania", "donor", "Alemania", "Germany"),
    ("suecia", "donor", "Suecia", "Sweden"),
    ("cosude", "donor", "Cooperación Suiza", "Swiss Cooperation"),
    ("bid", "dev_bank", "Banco Interamericano de Desarrollo", "Inter-American Development Bank"),
    ("banco-mundial", "dev_bank", "Banco Mundial", "World Bank"),
    ("bcie", "dev_bank", "Banco Centroamericano de Integración Económica", "Central American Bank for Economic Integration"),
    ("oea", "regional", "Organización de los Estados Americanos", "Organization of American States"),
    ("scalabrinianas", "ngo", "Hermanas Scalabrinianas", "Scalabrinian Sisters"),
    ("cruz-roja", "ngo", "Cruz Roja Hondureña", "Honduran Red Cross"),
]

SITES = [
    # code, kind, institution, municipality, modality, es, en
    ("camr-sps", "reception_point", "sreci-dgphm", "0512", "air", "CAMR San Pedro Sula (aeropuerto Ramón Villeda Morales)", "CAMR San Pedro Sula (Ramón Villeda Morales airport)"),
    ("camr-omoa", "reception_point", "sreci-dgphm", "0503", "land", "CAMR Omoa", "CAMR Omoa"),
    ("canfm-belen", "reception_point", "dinaf", "0501", "", "CANFM Belén (niñez y familias)", "CANFM Belén (children and families)"),
    ("camr-tgu", "reception_point", "sreci-dgphm", "0801", "air", "CAMR Toncontín (Tegucigalpa)", "CAMR Toncontín (Tegucigalpa)"),
    ("rvm-airport", "entry_point", "inm", "0512", "air", "Aeropuerto Ramón Villeda Morales", "Ramón Villeda Morales airport"),
    ("toncontin", "entry_point", "inm", "0801", "air", "Aeropuerto Toncontín", "Toncontín airport"),
    ("palmerola", "entry_point", "inm", "0301", "air", "Aeropuerto de Palmerola", "Palmerola airport"),
    ("corinto", "entry_point", "inm", "0503", "land", "Puesto fronterizo Corinto", "Corinto border post"),
    ("agua-caliente", "entry_point", "inm", "1401", "land", "Puesto fronterizo Agua Caliente", "Agua Caliente border post"),
    ("el-florido", "entry_point", "inm", "0404", "land", "Puesto fronterizo El Florido", "El Florido border post"),
    ("puerto-cortes", "entry_point", "inm", "0506", "sea", "Puerto Cortés", "Puerto Cortés port"),
    ("punto-ciego", "entry_point", "inm", "", "land", "Punto ciego (cruce no habilitado)", "Blind spot (unofficial crossing)"),
    ("uar-sps", "remote_unit", "sedh", "0501", "", "Unidad de atención remota San Pedro Sula", "Remote care unit San Pedro Sula"),
    ("uar-dc", "remote_unit", "sedh", "0801", "", "Unidad de atención remota Distrito Central", "Remote care unit Central District"),
    ("uar-ceiba", "remote_unit", "sedh", "0101", "", "Unidad de atención remota La Ceiba", "Remote care unit La Ceiba"),
    ("umar-sps", "umar", "muni-sps", "0501", "", "UMAR San Pedro Sula", "UMAR San Pedro Sula"),
    ("umar-dc", "umar", "muni-dc", "0801", "", "UMAR Distrito Central", "UMAR Central District"),
]


def load(apps, schema_editor):
    Institution = apps.get_model("accounts", "Institution")
    Site = apps.get_model("accounts", "Site")
    Municipality = apps.get_model("geo", "Municipality")
    inst = {}
    for code, kind, es, en in INSTITUTIONS:
        inst[code] = Institution.objects.create(code=code, kind=kind, name_es=es, name_en=en)
    for code, kind, owner, muni, modality, es, en in SITES:
        Site.objects.create(
            code=code, kind=kind, institution=inst[owner],
            municipality=Municipality.objects.filter(code=muni).first() if muni else None,
            modality=modality, name_es=es, name_en=en,
        )


def unload(apps, schema_editor):
    apps.get_model("accounts", "Site").objects.all().delete()
    apps.get_model("accounts", "Institution").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("geo", "0002_load_admin_areas_and_countries")]
    operations = [migrations.RunPython(load, unload)]
