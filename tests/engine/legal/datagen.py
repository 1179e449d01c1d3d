"""Build the reference files bundled in ``jurisgraph/engine/legal/data`` from the shared STJ data.

Run ``python tests/engine/legal/datagen.py [SOURCE_DIR]`` to rewrite the files;
``test_data_files.py`` rebuilds them in memory and checks the bundled copies are identical,
so every bundled fact can be traced to the sources or to the curated tables below.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

SOURCE = Path("/work/shared/data/stj")
TARGET = Path(__file__).resolve().parents[3] / "src" / "jurisgraph" / "engine" / "legal" / "data"

# sigla, name, court, ambiguous in free text (needs a strong number form), incidental prefix only
CLASSES: list[tuple[str, str, str, bool, bool]] = [
    ("REsp", "Recurso Especial", "STJ", False, False),
    ("AREsp", "Agravo em Recurso Especial", "STJ", False, False),
    ("EREsp", "Embargos de Divergência em Recurso Especial", "STJ", False, False),
    ("EAREsp", "Embargos de Divergência em Agravo em Recurso Especial", "STJ", False, False),
    ("HC", "Habeas Corpus", "STJ", False, False),
    ("RHC", "Recurso em Habeas Corpus", "STJ", False, False),
    ("MS", "Mandado de Segurança", "STJ", True, False),
    ("RMS", "Recurso em Mandado de Segurança", "STJ", False, False),
    ("CC", "Conflito de Competência", "STJ", True, False),
    ("Rcl", "Reclamação", "STJ", False, False),
    ("AR", "Ação Rescisória", "STJ", True, False),
    ("Pet", "Petição", "STJ", True, False),
    ("PUIL", "Pedido de Uniformização de Interpretação de Lei", "STJ", False, False),
    ("SIRDR", "Suspensão em Incidente de Resolução de Demandas Repetitivas", "STJ", False, False),
    ("TP", "Tutela Provisória", "STJ", True, False),
    ("CR", "Carta Rogatória", "STJ", True, False),
    ("SLS", "Suspensão de Liminar e de Sentença", "STJ", False, False),
    ("SS", "Suspensão de Segurança", "STJ", True, False),
    ("SL", "Suspensão de Liminar", "STJ", True, False),
    ("ExeMS", "Execução em Mandado de Segurança", "STJ", False, False),
    ("EmbExeMS", "Embargos à Execução em Mandado de Segurança", "STJ", False, False),
    ("ImpExe", "Impugnação à Execução", "STJ", False, True),
    ("TutCautAnt", "Tutela Cautelar Antecedente", "STJ", False, False),
    ("TutAntAnt", "Tutela Antecipada Antecedente", "STJ", False, False),
    ("HD", "Habeas Data", "STJ", True, False),
    ("HDE", "Homologação de Decisão Estrangeira", "STJ", False, False),
    ("SEC", "Sentença Estrangeira Contestada", "STJ", True, False),
    ("SE", "Sentença Estrangeira", "STJ", True, False),
    ("RvCr", "Revisão Criminal", "STJ", False, False),
    ("APn", "Ação Penal", "STJ", False, False),
    ("Inq", "Inquérito", "STJ", True, False),
    ("IDC", "Incidente de Deslocamento de Competência", "STJ", False, False),
    ("IF", "Intervenção Federal", "STJ", True, False),
    ("MI", "Mandado de Injunção", "STJ", True, False),
    ("MC", "Medida Cautelar", "STJ", True, False),
    ("Ag", "Agravo de Instrumento", "STJ", True, False),
    ("RO", "Recurso Ordinário", "STJ", True, False),
    ("CAt", "Conflito de Atribuições", "STJ", True, False),
    ("ExSusp", "Exceção de Suspeição", "STJ", False, False),
    ("ExImp", "Exceção de Impedimento", "STJ", False, False),
    ("IUJ", "Incidente de Uniformização de Jurisprudência", "STJ", False, False),
    ("Prc", "Precatório", "STJ", True, False),
    ("AIA", "Ação de Improbidade Administrativa", "STJ", False, False),
    ("EInf", "Embargos Infringentes", "STJ", False, False),
    ("ProAfR", "Proposta de Afetação", "STJ", False, True),
    ("AgInt", "Agravo Interno", "STJ", False, True),
    ("AgRg", "Agravo Regimental", "STJ", False, True),
    ("EDcl", "Embargos de Declaração", "STJ", False, True),
    ("EDv", "Embargos de Divergência", "STJ", False, True),
    ("RCD", "Reconsideração de Despacho", "STJ", False, True),
    ("QO", "Questão de Ordem", "STJ", True, True),
    ("RE", "Recurso Extraordinário", "STF", True, False),
    ("ARE", "Recurso Extraordinário com Agravo", "STF", True, False),
    ("AI", "Agravo de Instrumento", "STF", True, False),
    ("ADI", "Ação Direta de Inconstitucionalidade", "STF", False, False),
    ("ADC", "Ação Declaratória de Constitucionalidade", "STF", False, False),
    ("ADO", "Ação Direta de Inconstitucionalidade por Omissão", "STF", False, False),
    ("ADPF", "Arguição de Descumprimento de Preceito Fundamental", "STF", False, False),
]

LONG_FORMS: dict[str, str] = {
    "recurso especial": "REsp",
    "recursos especiais": "REsp",
    "recurso especial repetitivo": "REsp",
    "recursos especiais repetitivos": "REsp",
    "agravo em recurso especial": "AREsp",
    "embargos de divergencia em recurso especial": "EREsp",
    "embargos de divergencia no recurso especial": "EREsp",
    "habeas corpus": "HC",
    "recurso em habeas corpus": "RHC",
    "recurso ordinario em habeas corpus": "RHC",
    "mandado de seguranca": "MS",
    "recurso em mandado de seguranca": "RMS",
    "recurso ordinario em mandado de seguranca": "RMS",
    "conflito de competencia": "CC",
    "acao rescisoria": "AR",
    "reclamacao": "Rcl",
    "recurso extraordinario": "RE",
}

RECURSOS: dict[str, str] = {
    "AGRAVO INTERNO": "AgInt",
    "AGRAVO REGIMENTAL": "AgRg",
    "EMBARGOS DE DECLARAÇÃO": "EDcl",
    "EMBARGOS DE DIVERGÊNCIA": "EDv",
    "RECURSO EXTRAORDINÁRIO": "RE",
    "PETIÇÃO": "PET",
    "PEDIDO DE RECONSIDERAÇÃO": "RCD",
}

# key, formal name, short label, full name, preposition before the short label,
# text names, siglas, STJ siglas, standalone (siglas may be found outside "art. N do X")
CORE_NORMS: list[dict[str, Any]] = [
    {"key": "cf:1988", "formal": "Constituição Federal de 1988", "curto": "CF/1988", "prep": "da",
     "nome": "Constituição da República Federativa do Brasil de 1988",
     "nomes": ["Constituição Federal", "Constituição Federal de 1988", "Constituição da República",
               "Constituição da República Federativa do Brasil", "Constituição de 1988", "Carta Magna",
               "Carta Constitucional"],
     "siglas": ["CF", "CF/88", "CF/1988", "CF-88", "CF-1988", "CRFB", "CRFB/88", "CRFB/1988", "CR/88"],
     "stj": ["CF-1988"], "avulsa": True},
    {"key": "adct:1988", "formal": "Ato das Disposições Constitucionais Transitórias", "curto": "ADCT",
     "prep": "do", "nome": "Ato das Disposições Constitucionais Transitórias",
     "nomes": ["Ato das Disposições Constitucionais Transitórias"], "siglas": ["ADCT"],
     "stj": ["ADCT-88"], "avulsa": True},
    {"key": "lei:13105_2015", "curto": "CPC/2015", "prep": "do", "nome": "Código de Processo Civil de 2015",
     "nomes": ["Código de Processo Civil de 2015", "Código de Processo Civil/2015",
               "Novo Código de Processo Civil", "Código de Processo Civil vigente"],
     "siglas": ["CPC/2015", "CPC/15", "CPC-15", "CPC de 2015", "NCPC", "CPC/2.015"], "stj": ["CPC-15"],
     "avulsa": True},
    {"key": "lei:5869_1973", "curto": "CPC/1973", "prep": "do", "nome": "Código de Processo Civil de 1973",
     "nomes": ["Código de Processo Civil de 1973", "Código de Processo Civil/1973",
               "Código de Processo Civil revogado", "Código Buzaid"],
     "siglas": ["CPC/1973", "CPC/73", "CPC-73", "CPC de 1973"], "stj": ["CPC-73"], "avulsa": True},
    {"key": "lei:10406_2002", "curto": "CC/2002", "prep": "do", "nome": "Código Civil de 2002",
     "nomes": ["Código Civil de 2002", "Código Civil/2002", "Novo Código Civil"],
     "siglas": ["CC/2002", "CC/02", "CC-02", "CC de 2002", "NCC"], "stj": ["CC-02"], "avulsa": True},
    {"key": "lei:3071_1916", "curto": "CC/1916", "prep": "do", "nome": "Código Civil de 1916",
     "nomes": ["Código Civil de 1916", "Código Civil/1916", "Código Beviláqua"],
     "siglas": ["CC/1916", "CC/16", "CC-16", "CC de 1916"], "stj": ["CC-16"], "avulsa": True},
    {"key": "lei:8078_1990", "curto": "CDC", "prep": "do", "nome": "Código de Defesa do Consumidor",
     "nomes": ["Código de Defesa do Consumidor", "Código do Consumidor"], "siglas": ["CDC"],
     "stj": ["CDC-90"], "avulsa": True},
    {"key": "lei:5172_1966", "curto": "CTN", "prep": "do", "nome": "Código Tributário Nacional",
     "nomes": ["Código Tributário Nacional"], "siglas": ["CTN"], "stj": ["CTN-66"], "avulsa": True},
    {"key": "dl:2848_1940", "curto": "CP", "prep": "do", "nome": "Código Penal",
     "nomes": ["Código Penal", "Código Penal Brasileiro"], "siglas": ["CP", "CPB"], "stj": ["CP-40"],
     "avulsa": True},
    {"key": "dl:3689_1941", "curto": "CPP", "prep": "do", "nome": "Código de Processo Penal",
     "nomes": ["Código de Processo Penal"], "siglas": ["CPP"], "stj": ["CPP-41"], "avulsa": True},
    {"key": "dl:5452_1943", "curto": "CLT", "prep": "da", "nome": "Consolidação das Leis do Trabalho",
     "nomes": ["Consolidação das Leis do Trabalho"], "siglas": ["CLT"], "stj": ["CLT-43"], "avulsa": True},
    {"key": "lei:8069_1990", "curto": "ECA", "prep": "do", "nome": "Estatuto da Criança e do Adolescente",
     "nomes": ["Estatuto da Criança e do Adolescente"], "siglas": ["ECA"], "stj": ["ECA-90"],
     "avulsa": True},
    {"key": "lei:9503_1997", "curto": "CTB", "prep": "do", "nome": "Código de Trânsito Brasileiro",
     "nomes": ["Código de Trânsito Brasileiro"], "siglas": ["CTB"], "stj": ["CTB-97"], "avulsa": True},
    {"key": "lei:7210_1984", "curto": "LEP", "prep": "da", "nome": "Lei de Execução Penal",
     "nomes": ["Lei de Execução Penal", "Lei de Execuções Penais"], "siglas": ["LEP"], "stj": ["LEP-84"],
     "avulsa": True},
    {"key": "lei:6830_1980", "curto": "LEF", "prep": "da", "nome": "Lei de Execução Fiscal",
     "nomes": ["Lei de Execução Fiscal", "Lei de Execuções Fiscais"], "siglas": ["LEF"], "stj": ["LEF-80"],
     "avulsa": True},
    {"key": "dl:4657_1942", "curto": "LINDB", "prep": "da",
     "nome": "Lei de Introdução às Normas do Direito Brasileiro",
     "nomes": ["Lei de Introdução às Normas do Direito Brasileiro", "Lei de Introdução ao Código Civil"],
     "siglas": ["LINDB", "LICC"], "stj": ["LINDB-42", "LICC-42"], "avulsa": True},
    {"key": "lei:11343_2006", "curto": "Lei de Drogas", "prep": "da", "nome": "Lei de Drogas",
     "nomes": ["Lei de Drogas", "Lei Antidrogas", "Lei de Tóxicos"], "siglas": [], "stj": [],
     "avulsa": False},
    {"key": "lei:11340_2006", "curto": "Lei Maria da Penha", "prep": "da", "nome": "Lei Maria da Penha",
     "nomes": ["Lei Maria da Penha"], "siglas": [], "stj": [], "avulsa": False},
    {"key": "lei:8666_1993", "curto": "Lei de Licitações", "prep": "da", "nome": "Lei de Licitações e Contratos",
     "nomes": ["Lei de Licitações", "Lei de Licitações e Contratos"], "siglas": ["LLC"], "stj": [],
     "avulsa": False},
    {"key": "lei:14133_2021", "curto": "NLL", "prep": "da", "nome": "Nova Lei de Licitações e Contratos",
     "nomes": ["Nova Lei de Licitações", "Nova Lei de Licitações e Contratos"], "siglas": ["NLL"],
     "stj": ["NLL-21"], "avulsa": True},
    {"key": "lei:8213_1991", "curto": "LBPS", "prep": "da", "nome": "Lei de Benefícios da Previdência Social",
     "nomes": ["Lei de Benefícios da Previdência Social", "Lei de Benefícios"], "siglas": ["LBPS"],
     "stj": ["LBPS-91"], "avulsa": False},
    {"key": "lei:8212_1991", "curto": "Lei de Custeio", "prep": "da", "nome": "Lei Orgânica da Seguridade Social",
     "nomes": ["Lei Orgânica da Seguridade Social", "Lei de Custeio da Seguridade Social"], "siglas": [],
     "stj": [], "avulsa": False},
    {"key": "lei:8112_1990", "curto": "RJU", "prep": "do",
     "nome": "Regime Jurídico dos Servidores Públicos Civis da União",
     "nomes": ["Regime Jurídico Único", "Estatuto dos Servidores Públicos Civis da União"], "siglas": ["RJU"],
     "stj": [], "avulsa": False},
    {"key": "lei:13709_2018", "curto": "LGPD", "prep": "da", "nome": "Lei Geral de Proteção de Dados Pessoais",
     "nomes": ["Lei Geral de Proteção de Dados", "Lei Geral de Proteção de Dados Pessoais"],
     "siglas": ["LGPD"], "stj": [], "avulsa": True},
    {"key": "lei:9279_1996", "curto": "LPI", "prep": "da", "nome": "Lei de Propriedade Industrial",
     "nomes": ["Lei de Propriedade Industrial", "Lei da Propriedade Industrial"], "siglas": ["LPI"],
     "stj": [], "avulsa": False},
    {"key": "lei:4737_1965", "curto": "Código Eleitoral", "prep": "do", "nome": "Código Eleitoral",
     "nomes": ["Código Eleitoral"], "siglas": [], "stj": [], "avulsa": False},
    {"key": "lei:9099_1995", "curto": "Lei dos Juizados Especiais", "prep": "da",
     "nome": "Lei dos Juizados Especiais Cíveis e Criminais",
     "nomes": ["Lei dos Juizados Especiais"], "siglas": [], "stj": [], "avulsa": False},
    {"key": "lei:8429_1992", "curto": "LIA", "prep": "da", "nome": "Lei de Improbidade Administrativa",
     "nomes": ["Lei de Improbidade Administrativa", "Lei de Improbidade"], "siglas": ["LIA"],
     "stj": ["LIA-92"], "avulsa": False},
    {"key": "lei:12016_2009", "curto": "Lei do Mandado de Segurança", "prep": "da",
     "nome": "Lei do Mandado de Segurança", "nomes": ["Lei do Mandado de Segurança"], "siglas": ["LMS"],
     "stj": [], "avulsa": False},
    {"key": "lei:7347_1985", "curto": "LACP", "prep": "da", "nome": "Lei da Ação Civil Pública",
     "nomes": ["Lei da Ação Civil Pública"], "siglas": ["LACP"], "stj": [], "avulsa": False},
    {"key": "lei:11101_2005", "curto": "Lei de Recuperação e Falência", "prep": "da",
     "nome": "Lei de Recuperação Judicial e Falência",
     "nomes": ["Lei de Falências", "Lei de Recuperação Judicial", "Lei de Recuperação Judicial e Falências"],
     "siglas": ["LREF"], "stj": [], "avulsa": False},
    {"key": "lc:101_2000", "curto": "LRF", "prep": "da", "nome": "Lei de Responsabilidade Fiscal",
     "nomes": ["Lei de Responsabilidade Fiscal"], "siglas": ["LRF"], "stj": [], "avulsa": False},
    {"key": "lei:6404_1976", "curto": "Lei das S.A.", "prep": "da", "nome": "Lei das Sociedades por Ações",
     "nomes": ["Lei das Sociedades Anônimas", "Lei das Sociedades por Ações", "Lei das S.A.", "Lei das S/A"],
     "siglas": ["LSA"], "stj": [], "avulsa": False},
    {"key": "lei:8245_1991", "curto": "Lei do Inquilinato", "prep": "da", "nome": "Lei do Inquilinato",
     "nomes": ["Lei do Inquilinato", "Lei de Locações"], "siglas": [], "stj": [], "avulsa": False},
    {"key": "lei:8009_1990", "curto": "Lei do Bem de Família", "prep": "da", "nome": "Lei do Bem de Família",
     "nomes": ["Lei do Bem de Família"], "siglas": [], "stj": [], "avulsa": False},
    {"key": "lei:9784_1999", "curto": "Lei do Processo Administrativo", "prep": "da",
     "nome": "Lei do Processo Administrativo Federal",
     "nomes": ["Lei do Processo Administrativo", "Lei do Processo Administrativo Federal"], "siglas": [],
     "stj": [], "avulsa": False},
    {"key": "lei:6015_1973", "curto": "Lei de Registros Públicos", "prep": "da", "nome": "Lei de Registros Públicos",
     "nomes": ["Lei de Registros Públicos", "Lei dos Registros Públicos"], "siglas": ["LRP"],
     "stj": [], "avulsa": False},
    {"key": "lei:9610_1998", "curto": "Lei de Direitos Autorais", "prep": "da", "nome": "Lei de Direitos Autorais",
     "nomes": ["Lei de Direitos Autorais", "Lei dos Direitos Autorais"], "siglas": ["LDA"], "stj": [],
     "avulsa": False},
    {"key": "lei:12965_2014", "curto": "Marco Civil da Internet", "prep": "do", "nome": "Marco Civil da Internet",
     "nomes": ["Marco Civil da Internet"], "siglas": ["MCI"], "stj": [], "avulsa": False},
    {"key": "norma:ristj", "formal": "Regimento Interno do Superior Tribunal de Justiça", "curto": "RISTJ",
     "prep": "do", "nome": "Regimento Interno do Superior Tribunal de Justiça",
     "nomes": ["Regimento Interno do Superior Tribunal de Justiça", "Regimento Interno do STJ"],
     "siglas": ["RISTJ"], "stj": ["RISTJ-89"], "avulsa": True},
]

# STJ published names of the sitting ministers, keyed by the full civil name in the composição file
COMPOSICAO_PUBLICADO: dict[str, str] = {
    "Luis Felipe Salomão": "LUIS FELIPE SALOMÃO",
    "Mauro Luiz Campbell Marques": "MAURO CAMPBELL MARQUES",
    "Francisco Cândido de Melo Falcão Neto": "FRANCISCO FALCÃO",
    "Fátima Nancy Andrighi": "NANCY ANDRIGHI",
    "João Otávio de Noronha": "JOÃO OTÁVIO DE NORONHA",
    "Humberto Eustáquio Soares Martins": "HUMBERTO MARTINS",
    "Maria Thereza Rocha de Assis Moura": "MARIA THEREZA DE ASSIS MOURA",
    "Antonio Herman de Vasconcellos e Benjamin": "HERMAN BENJAMIN",
    "Geraldo Og Nicéas Marques Fernandes": "OG FERNANDES",
    "Benedito Gonçalves": "BENEDITO GONÇALVES",
    "Raul Araújo Filho": "RAUL ARAÚJO",
    "Maria Isabel Diniz Gallotti Rodrigues": "MARIA ISABEL GALLOTTI",
    "Antonio Carlos Ferreira": "ANTONIO CARLOS FERREIRA",
    "Ricardo Villas Bôas Cueva": "RICARDO VILLAS BÔAS CUEVA",
    "Sebastião Alves dos Reis Júnior": "SEBASTIÃO REIS JÚNIOR",
    "Marco Aurélio Gastaldi Buzzi": "MARCO BUZZI",
    "Marco Aurélio Bellizze Oliveira": "MARCO AURÉLIO BELLIZZE",
    "Sérgio Luíz Kukina": "SÉRGIO KUKINA",
    "Paulo Dias de Moura Ribeiro": "MOURA RIBEIRO",
    "Regina Helena Costa": "REGINA HELENA COSTA",
    "Rogerio Schietti Machado Cruz": "ROGERIO SCHIETTI CRUZ",
    "Luiz Alberto Gurgel de Faria": "GURGEL DE FARIA",
    "Reynaldo Soares da Fonseca": "REYNALDO SOARES DA FONSECA",
    "Marcelo Navarro Ribeiro Dantas": "RIBEIRO DANTAS",
    "Joel Ilan Paciornik": "JOEL ILAN PACIORNIK",
    "Messod Azulay Neto": "MESSOD AZULAY NETO",
    "Paulo Sérgio Domingues": "PAULO SÉRGIO DOMINGUES",
    "Teodoro Silva Santos": "TEODORO SILVA SANTOS",
    "José Afrânio Vilela": "AFRÂNIO VILELA",
    "Daniela Rodrigues Teixeira": "DANIELA TEIXEIRA",
    "Maria Marluce Caldas Bezerra": "MARLUCE CALDAS",
    "Carlos Augusto Pires Brandão": "CARLOS PIRES BRANDÃO",
}

# published spellings that are the same person as another published spelling
SAME_PERSON: dict[str, str] = {"SEBASTIAO REIS": "SEBASTIÃO REIS JÚNIOR", "ILMAR GALVAO": "ILMAR GALVÃO"}
NOT_A_MINISTER = ["PRESIDENTE DA COMISSÃO GESTORA DE PRECEDENTES"]

SECOES = {"T1": "S1", "T2": "S1", "T3": "S2", "T4": "S2", "T5": "S3", "T6": "S3"}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain.lower()).strip()


def _title(text: str) -> str:
    particles = {"de", "da", "do", "dos", "das", "e"}
    words = text.split()
    return " ".join(w.lower() if i and w.lower() in particles else w[:1].upper() + w[1:].lower()
                    for i, w in enumerate(words))


def build_classes() -> dict[str, Any]:
    observed = [row["sigla_classe"] for row in _csv(SOURCE / "referencia" / "classes_processuais_observadas.csv")]
    known = {sigla.lower() for sigla, *_ in CLASSES}
    for compound in observed:
        for part in re.split(r"\s+(?:no|na|nos|nas)\s+", compound):
            if part.lower() not in known:
                raise ValueError(f"observed class {part!r} missing from CLASSES")
    return {
        "classes": [
            {"sigla": s, "nome": n, "tribunal": t, "ambigua": a, "incidental": i} for s, n, t, a, i in CLASSES
        ],
        "formas_extensas": LONG_FORMS,
        "recursos": RECURSOS,
        "observadas": observed,
    }


def _origem(text: str) -> str | None:
    folded = _fold(text)
    match = re.search(r"\b(tjdft|trf|tjm|tj)\s*[-/]?\s*(\d|[a-z]{2}\b)?", folded)
    if not match:
        return None
    return (match.group(1) + (match.group(2) or "")).upper()


def _titulo(text: str) -> str | None:
    folded = _fold(text)
    match = re.search(r"\((des\w*|juiz\w*)[^)]*?convocad[oa]", folded)
    if not match:
        return None
    female = "convocada" in folded
    if folded[match.start(1):].startswith("juiz"):
        return "Juíza Federal convocada" if female else "Juiz Federal convocado"
    return "Desembargadora convocada" if female else "Desembargador convocado"


def build_ministros() -> dict[str, Any]:
    composicao = json.loads((SOURCE / "referencia" / "ministros_stj_composicao_2026-09.json").read_text("utf-8"))
    observed = [row for row in _csv(SOURCE / "referencia" / "ministros_observados.csv")]
    people: dict[str, dict[str, Any]] = {}

    def person(published: str) -> dict[str, Any]:
        base = re.sub(r"\s*\(.*$", "", published).strip()
        base = SAME_PERSON.get(base, base)
        slug = re.sub(r"[^a-z0-9]+", "_", _fold(base)).strip("_")
        entry = people.setdefault(slug, {"slug": slug, "nome": _title(base), "aliases": []})
        for alias in (_fold(re.sub(r"\s*\(.*$", "", published)), _fold(base)):
            if alias not in entry["aliases"]:
                entry["aliases"].append(alias)
        return entry

    for row in observed:
        name = row["nome_como_publicado"]
        if name in NOT_A_MINISTER:
            continue
        entry = person(name)
        if row["convocado"] == "S":
            entry["titulo"] = _titulo(name)
            entry["origem"] = _origem(name[name.index("(") :])
    for item in composicao["ministros"]:
        civil = item["nome"].split(" - ")[0].strip()
        entry = person(COMPOSICAO_PUBLICADO[civil])
        entry["nome_completo"] = civil
        entry["uf"] = item["uf"]
        entry["codigo"] = item["cod"]
        entry["ordem"] = item["ordem"]
        if _fold(civil) not in entry["aliases"]:
            entry["aliases"].append(_fold(civil))
    return {"ministros": sorted(people.values(), key=lambda e: e["slug"]),
            "nao_ministros": [_fold(n) for n in NOT_A_MINISTER]}


def build_orgaos() -> dict[str, Any]:
    rows = _csv(SOURCE / "referencia" / "orgaos_julgadores.csv")
    return {"orgaos": [
        {"codigo": r["codigo"], "nome": r["nome_orgao_julgador"], "exibicao": _title(r["nome_orgao_julgador"]),
         "secao": SECOES.get(r["codigo"]), "materia": r["composicao_materia"]}
        for r in rows
    ]}


_FORMAL = re.compile(r"^(Lei Complementar|Decreto-Lei|Decreto|Lei) (\d[\d.]*(?:-[A-Z])?)/(\d{4})$")
_PREFIX = {"Lei": "lei", "Lei Complementar": "lc", "Decreto-Lei": "dl", "Decreto": "dec"}
_PROPER = re.compile(r"^(Código|Estatuto|Lei |Marco |Consolidação)")


def _planalto_norm(item: dict[str, Any]) -> dict[str, Any]:
    match = _FORMAL.match(item["lei"])
    if not match:
        raise ValueError(f"unexpected norm {item['lei']!r}")
    tipo, numero, ano = match.groups()
    number_key = numero.replace(".", "").replace("-", "").lower()
    nome = re.split(r"\s+[—–]\s+|\s+\(", item["nome"])[0].strip()
    sigla = item["sigla"]
    mnemonic = not re.fullmatch(r"(L|LC|DL|D)\d+[A-Z]?", sigla)
    proper = bool(_PROPER.match(nome))
    return {
        "key": f"{_PREFIX[tipo]}:{number_key}_{ano}",
        "nome": item["nome"],
        "curto": nome if proper else None,
        "prep": ("do" if nome.startswith(("Código", "Estatuto", "Marco")) else "da") if proper else None,
        "nomes": [nome] if proper else [],
        "siglas": [sigla] if mnemonic else [],
        "stj": [],
        "avulsa": False,
        "url": item["url"],
    }


def build_normas() -> dict[str, Any]:
    planalto = json.loads((SOURCE / "referencia" / "normas_siglas_planalto.json").read_text("utf-8"))["normas"]
    by_key: dict[str, dict[str, Any]] = {}
    for item in planalto:
        norm = _planalto_norm(item)
        by_key[norm["key"]] = norm
    for core in CORE_NORMS:
        merged = dict(by_key.get(core["key"], {}))
        for field in ("nomes", "siglas", "stj"):
            values = list(core.get(field, []))
            values += [v for v in merged.get(field, []) if v not in values]
            merged[field] = values
        for field in ("key", "formal", "curto", "prep", "nome", "avulsa"):
            if field in core:
                merged[field] = core[field]
        merged.setdefault("url", None)
        by_key[core["key"]] = merged
    for row in _csv(SOURCE / "referencia" / "legislacao_siglas_stj_observadas.csv"):
        sigla, tipo = row["sigla_stj"], row["tipo_norma"]
        if not sigla or tipo == "SUM":
            continue
        if tipo in {"CFB", "CFD"}:
            key = "adct:1988" if sigla.startswith("ADCT") else "cf:1988"
        else:
            prefix = {"LEI": "lei", "DEC": "dec", "DEL": "dl", "LCP": "lc"}[tipo]
            key = f"{prefix}:{int(row['numero'])}_{row['ano']}"
        norm = by_key.setdefault(key, {"key": key, "nome": _title(row["nome_stj"]), "curto": None, "prep": None,
                                       "nomes": [], "siglas": [], "stj": [], "avulsa": False, "url": None})
        if sigla not in norm["stj"]:
            norm["stj"].append(sigla)
    ordered = sorted(by_key.values(), key=lambda n: n["key"])
    return {"normas": [{k: v for k, v in n.items() if v not in (None, [], False)} for n in ordered]}


def build_sumulas() -> dict[str, Any]:
    data = json.loads((SOURCE / "derivados" / "sumulas_stj.json").read_text("utf-8"))["sumulas"]
    return {str(n["numero"]): [n["enunciado"], n["status"]] for n in sorted(data.values(), key=lambda n: n["numero"])}


def build_assuntos() -> dict[str, Any]:
    names: dict[str, str] = {}
    for row in _csv(SOURCE / "precedentes" / "temas.csv", encoding="latin-1", delimiter=";"):
        for match in re.finditer(r"(\d+)-\s*([^,]+)", row["Assuntos"]):
            names.setdefault(match.group(1), re.sub(r"\s+", " ", match.group(2)).strip())
    return dict(sorted(names.items(), key=lambda kv: int(kv[0])))


def _csv(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


BUILDERS = {
    "classes.json": build_classes,
    "ministros.json": build_ministros,
    "orgaos.json": build_orgaos,
    "normas.json": build_normas,
    "sumulas_stj.json": build_sumulas,
    "assuntos_cnj.json": build_assuntos,
}


def render(name: str) -> str:
    """The exact text of one bundled file."""
    return json.dumps(BUILDERS[name](), ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main() -> None:
    global SOURCE
    if len(sys.argv) > 1:
        SOURCE = Path(sys.argv[1])
    for name in BUILDERS:
        (TARGET / name).write_text(render(name), encoding="utf-8")
        print(name, (TARGET / name).stat().st_size)


if __name__ == "__main__":
    main()
