"""Hand-written French news items and feeds, one of each kind and version, for the tests of
`formats.wire` and of every entry point that reads them."""

# ruff: noqa: E501  (items are written as agencies write them: long lines of JSON and XML)

from __future__ import annotations

from dataclasses import replace

from depeche.assemble import reassemble
from depeche.formats import Format, HtmlOptions
from depeche.restore import as_written
from depeche.segment import segment

NINJS_1 = r"""{
  "uri": "urn:depeche:test:ninjs1:20240312-greve",
  "$standard": {"name": "ninjs", "version": "1.6"},
  "type": "text",
  "version": "2",
  "versioncreated": "2024-03-12T08:15:00+01:00",
  "pubstatus": "usable",
  "urgency": 3,
  "language": "fr",
  "byline": "Camille Dufresne",
  "located": "Rennes, France",
  "slugline": "greve-transports-rennes",
  "subject": [{"code": "20000523", "scheme": "http://cv.iptc.org/newscodes/mediatopic/", "name": "grève"}],
  "headline": "Les transports de Rennes à l'arrêt",
  "headline_sub": "Une grève paralyse le réseau de bus",
  "description_text": "Le réseau de bus est fermé depuis lundi.",
  "body_html": "<p>Les chauffeurs de bus de Rennes ont cessé le travail lundi matin.</p>\n<p>La mairie promet une <b>réunion</b> avec les syndicats.</p>\n<p><img src=\"bus.jpg\" alt=\"Un bus vide au d\u00e9p\u00f4t\"></p>",
  "body_text": "Les chauffeurs de bus de Rennes ont cessé le travail lundi matin.\nLa mairie promet une réunion avec les syndicats.",
  "associations": {
    "featureimage": {
      "uri": "urn:depeche:test:photo:1",
      "type": "picture",
      "language": "fr",
      "headline": "Le dépôt de bus désert",
      "description_text": "Des bus garés au dépôt de la ville, lundi.",
      "renditions": {"baseImage": {"href": "https://example.org/bus.jpg", "width": 1200, "height": 800, "mimetype": "image/jpeg"}}
    }
  }
}
"""

NINJS_2 = r"""{
  "uri": "urn:depeche:test:ninjs2:20240913-vendanges",
  "standard": {"name": "ninjs", "version": "2.1", "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"},
  "type": "text",
  "versioncreated": "2024-09-13T17:40:00+02:00",
  "language": "fr-FR",
  "by": "Luc Garnier",
  "located": "Beaune",
  "slugline": "vendanges-bourgogne",
  "headlines": [
    {"role": "main", "value": "Des vendanges précoces en Bourgogne"},
    {"role": "sub", "value": "La chaleur avance la récolte de deux semaines"}
  ],
  "descriptions": [{"role": "teaser", "value": "Les vignerons commencent la cueillette."}],
  "bodies": [
    {
      "role": "main",
      "contenttype": "text/html",
      "value": "<p>Les vignerons de la Côte-d'Or ont commencé la cueillette dès le 20 août.</p><p>Le raisin est <em>mûr</em> et sain, selon l'interprofession.</p>"
    }
  ],
  "associations": [
    {
      "name": "photo",
      "uri": "urn:depeche:test:photo:2",
      "type": "picture",
      "headlines": [{"value": "Une vendangeuse dans les rangs"}],
      "descriptions": [{"role": "caption", "value": "Une vendangeuse coupe une grappe près de Beaune."}],
      "associations": [
        {
          "name": "credit",
          "uri": "urn:depeche:test:photo:2:detail",
          "descriptions": [{"value": "Détail d'une grappe de pinot noir."}]
        }
      ]
    }
  ]
}
"""

NINJS_3 = r"""{
  "uri": "urn:depeche:test:ninjs3:20241104-crue",
  "standard": {"name": "ninjs", "version": "3.1", "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"},
  "type": "text",
  "versionCreated": "2024-11-04T06:05:00Z",
  "firstCreated": "2024-11-04T05:50:00Z",
  "pubStatus": "usable",
  "language": "fr",
  "by": "Inès Morel",
  "located": "Lyon",
  "altIds": [{"role": "internal", "value": "AFX-7781"}],
  "headlines": [{"role": "main", "value": "La Saône sort de son lit à Lyon"}],
  "bodies": [
    {"role": "main", "contentType": "text/plain", "value": "Les quais de la Saône sont fermés depuis dimanche soir.\nLa préfecture appelle à la prudence."},
    {"role": "richtext", "contentType": "application/xhtml+xml", "value": "<p>Les quais de la Saône sont fermés depuis dimanche soir.</p><p>La préfecture appelle à la <strong>prudence</strong>.</p>"}
  ],
  "associations": [
    {
      "name": "carte",
      "rel": "illustration",
      "uri": "urn:depeche:test:map:3",
      "type": "graphic",
      "descriptions": [{"role": "caption", "contentType": "text/plain", "value": "Carte des zones inondées du centre-ville."}]
    }
  ]
}
"""

# Each ninjs item's version, to validate it against IPTC's schema of that version.
NINJS = {"1.6": NINJS_1, "2.1": NINJS_2, "3.1": NINJS_3}

NEWSML_ITEM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Dépêche de test écrite pour depeche -->
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"
    guid="urn:depeche:test:newsml:20240521-ecole" version="3"
    standard="NewsML-G2" standardversion="2.29" conformance="power" xml:lang="fr">
  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_36.xml"/>
  <rightsInfo>
    <copyrightHolder uri="http://example.org/agence"><name>Agence Exemple</name></copyrightHolder>
  </rightsInfo>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:EXEMPLE"/>
    <versionCreated>2024-05-21T10:30:00+02:00</versionCreated>
    <pubStatus qcode='stat:usable'/>
    <edNote>Ne pas publier avant midi.</edNote>
  </itemMeta>
  <contentMeta>
    <urgency>4</urgency>
    <located qcode="geo:2988507"><name>Paris</name></located>
    <creator><name>Sophie Lambert</name></creator>
    <language tag="fr"/>
    <subject qcode="medtop:05000000"><name xml:lang="fr">éducation</name></subject>
    <slugline>ecole-rythmes</slugline>
    <headline>La réforme des rythmes scolaires divise les maires</headline>
    <dateline>Paris, 21 mai</dateline>
    <by>Sophie Lambert</by>
    <description role="drol:caption"><![CDATA[Une cour d'école vide à Paris & en banlieue.]]></description>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr">
        <head><title>Rythmes scolaires</title></head>
        <body>
          <p>Le ministère veut raccourcir la journée des élèves.</p>
          <!-- paragraphe ajouté à 10 h -->
          <p>Plusieurs maires de grandes villes refusent le calendrier &amp; la méthode.</p>
        </body>
      </html>
    </inlineXML>
  </contentSet>
</newsItem>
"""

NEWSML_MESSAGE = """<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
  <header>
    <sent>2024-06-02T14:00:00Z</sent>
    <sender>agence.example.org</sender>
  </header>
  <itemSet>
    <newsItem guid="urn:depeche:test:msg:text" version="1" standard="NewsML-G2" standardversion="2.29" xml:lang="fr">
      <itemMeta>
        <itemClass qcode="ninat:text"/>
        <provider qcode="nprov:EXEMPLE"/>
        <versionCreated>2024-06-02T13:55:00Z</versionCreated>
      </itemMeta>
      <contentMeta>
        <language tag="fr-FR"/>
        <headline>Le Tour de France part de Florence</headline>
      </contentMeta>
      <contentSet>
        <inlineXML contenttype="application/nitf+xml">
          <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">
            <body>
              <body.head>
                <hedline><hl1>Le Tour de France part de Florence</hl1></hedline>
                <byline>Par Marc Tessier</byline>
              </body.head>
              <body.content>
                <p>Les coureurs ont quitté la ville sous un soleil de plomb.</p>
                <p>Le maillot jaune reste au leader du classement.</p>
              </body.content>
            </body>
          </nitf>
        </inlineXML>
      </contentSet>
    </newsItem>
    <newsItem guid="urn:depeche:test:msg:photo" version="1" standard="NewsML-G2" standardversion="2.29">
      <itemMeta>
        <itemClass qcode="ninat:picture"/>
        <provider qcode="nprov:EXEMPLE"/>
        <versionCreated>2024-06-02T13:50:00Z</versionCreated>
      </itemMeta>
      <contentMeta>
        <headline>Le peloton dans les collines</headline>
        <description role="drol:caption">Le peloton traverse les vignes de Toscane.</description>
      </contentMeta>
      <contentSet>
        <remoteContent href="https://example.org/peloton.jpg" contenttype="image/jpeg" width="1600" height="1067"/>
      </contentSet>
    </newsItem>
  </itemSet>
</newsMessage>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Le Quotidien de l'Ouest</title>
    <link>https://example.org/</link>
    <description>Toute l'actualité de la région</description>
    <language>fr-fr</language>
    <!-- flux généré à 6 h -->
    <item>
      <title>Le port de Brest accueille un nouveau ferry</title>
      <link>https://example.org/brest-ferry</link>
      <guid isPermaLink="false">ouest-2024-0042</guid>
      <pubDate>Tue, 04 Jun 2024 07:00:00 +0200</pubDate>
      <dc:creator>Yann Le Goff</dc:creator>
      <category>Économie</category>
      <description>&lt;p&gt;Le navire relie Brest à Cork &lt;b&gt;trois fois&lt;/b&gt; par semaine.&lt;/p&gt;</description>
      <content:encoded><![CDATA[<p>Le ferry peut transporter <em>mille</em> passagers.</p><p>La compagnie embauche cinquante marins.</p>]]></content:encoded>
    </item>
    <item>
      <title>Fermeture d'une route côtière</title>
      <guid>https://example.org/route-cotiere</guid>
      <description><![CDATA[<p>La route est coupée par un éboulement près de Crozon.</p>]]></description>
      <enclosure url="https://example.org/route.jpg" length="52311" type="image/jpeg"/>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Les Nouvelles du Sud</title>
  <subtitle type="html">L'actualité de &lt;em&gt;Marseille&lt;/em&gt; et de la région</subtitle>
  <id>urn:depeche:test:atom:feed</id>
  <updated>2024-07-01T09:00:00Z</updated>
  <link href="https://example.org/sud"/>
  <author><name>Rédaction Sud</name></author>
  <entry>
    <title>Le marché aux poissons rouvre sur le Vieux-Port</title>
    <id>urn:depeche:test:atom:1</id>
    <updated>2024-07-01T08:30:00Z</updated>
    <link href="https://example.org/sud/marche"/>
    <summary>Les pêcheurs retrouvent leurs étals ce matin.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Après six mois de travaux, le quai est <strong>rendu</strong> aux pêcheurs.</p><p>La mairie a financé les nouveaux étals.</p></div></content>
  </entry>
  <entry xml:lang="fr-FR">
    <title type="html">Canicule : &lt;b&gt;alerte orange&lt;/b&gt; dans les Bouches-du-Rhône</title>
    <id>urn:depeche:test:atom:2</id>
    <updated>2024-07-01T07:00:00Z</updated>
    <content type="html">&lt;p&gt;Les températures dépasseront quarante degrés mercredi.&lt;/p&gt;</content>
  </entry>
</feed>
"""

# Files a folder may hold beside news: JSON and XML that are no news item or feed.
NOT_NEWS_JSON = '{"name": "réglages", "version": 3, "langue": "fr"}\n'
NOT_NEWS_XML = (
    '<?xml version="1.0"?>\n<configuration><option nom="langue">fr</option></configuration>\n'
)

# An XML bomb and an external entity: refused, never expanded.
BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY a "rire rire rire rire rire rire rire rire rire rire">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rss version="2.0"><channel><title>&c;</title></channel></rss>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta><headline>&secret;</headline></contentMeta></newsItem>
"""
BROKEN_XML = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Le titre</channel></rss>
"""


def fake_english(text: str, format: Format, options: HtmlOptions | None = None) -> str:
    """A stand-in for a translation, for tests of the formats alone: `EN ` before each
    sentence, read as the format reads it (markup, and what is kept whole, as they were)."""
    _, sources = segment(text, format, options)
    english = [replace(as_written(s), translation="EN " + s.text) for s in sources]
    return reassemble(text, english)
