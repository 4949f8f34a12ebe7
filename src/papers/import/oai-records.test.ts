// Reading single OAI-PMH pages: the authors string of arXivRaw, resumption tokens with and without
// attributes, records that cannot be read, and OAI error elements.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fixture } from "../../../test/helpers/fixture-server.ts";
import { OaiError, parseOaiPage, splitAuthors } from "./oai-records.ts";
import { XmlFormatError } from "./xml.ts";

const wrap = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-11-06T15:00:00Z</responseDate>${inner}</OAI-PMH>`;

test("arXivRaw author strings split on commas and 'and', dropping affiliations", () => {
  assert.deepEqual(splitAuthors("Ileana Streinu and Louis Theran"), ["Ileana Streinu", "Louis Theran"]);
  assert.deepEqual(splitAuthors("A. One, B. Two, and C. Three"), ["A. One", "B. Two", "C. Three"]);
  assert.deepEqual(splitAuthors("A. One (MIT, Cambridge), B. Two (1) and\n  C. Sandanski"), [
    "A. One",
    "B. Two",
    "C. Sandanski",
  ]);
  assert.deepEqual(splitAuthors("The ATLAS Collaboration"), ["The ATLAS Collaboration"]);
  assert.deepEqual(splitAuthors(""), []);
});

test("the page's counts come from the resumption token; an empty token ends the list", () => {
  const first = parseOaiPage(fixture("arxiv/oai-cs-page1.xml"));
  assert.deepEqual([first.records, first.token, first.completeListSize, first.cursor], [2, "6960524|1001", 6, 0]);
  const last = parseOaiPage(fixture("arxiv/oai-cs-page3.xml"));
  assert.deepEqual([last.records, last.token, last.cursor], [2, null, 4]);
  const bare = parseOaiPage(wrap("<ListRecords><resumptionToken>abc|5</resumptionToken></ListRecords>"));
  assert.deepEqual([bare.records, bare.token, bare.completeListSize], [0, "abc|5", null]);
});

test("a record without usable metadata is rejected by its identifier; the others are kept", () => {
  const page = parseOaiPage(
    wrap(`<ListRecords>
      <record><header><identifier>oai:arXiv.org:2611.00001</identifier><datestamp>2026-11-02</datestamp></header>
        <metadata><oai_dc>not arXiv</oai_dc></metadata></record>
      <record><header><identifier>oai:arXiv.org:2611.00002</identifier><datestamp>2026-11-02</datestamp></header>
        <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2611.00002</id><created>2026-11-31</created><title>T</title></arXiv></metadata></record>
      <record><header><identifier>oai:arXiv.org:2611.00003</identifier><datestamp>2026-11-02</datestamp></header>
        <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2611.00003</id><created>2026-11-02</created><title>  </title></arXiv></metadata></record>
      <record><header><identifier>oai:arXiv.org:2611.00004</identifier><datestamp>2026-11-02</datestamp></header>
        <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2611.00004</id><created>2026-11-02</created><title>Kept</title><categories>cs.CL</categories></arXiv></metadata></record>
    </ListRecords>`),
  );
  assert.deepEqual(
    page.items.map((i) => (i.kind === "rejected" ? [i.ref, i.reason] : i.kind)),
    [
      ["oai-pmh:2611.00001", "no arXiv or arXivRaw metadata"],
      ["oai-pmh:2611.00002", '<created> is not a date YYYY-MM-DD: "2026-11-31"'],
      ["oai-pmh:2611.00003", "<title> is empty"],
      "record",
    ],
  );
});

test("OAI errors: noRecordsMatch is an empty page, other codes are errors, bad XML is named", () => {
  const none = parseOaiPage(fixture("arxiv/oai-no-records.xml"));
  assert.deepEqual([none.noRecordsMatch, none.items.length, none.token], [true, 0, null]);
  assert.throws(
    () => parseOaiPage(fixture("arxiv/oai-bad-token.xml")),
    (err: Error) =>
      err instanceof OaiError &&
      err.code === "badResumptionToken" &&
      err.message === "OAI-PMH error badResumptionToken: Invalid or expired resumptionToken",
  );
  assert.throws(() => parseOaiPage(wrap('<error code="badArgument">Illegal argument "foo"</error>')), /badArgument/);
  assert.throws(() => parseOaiPage(fixture("arxiv/api-cscl-page1.xml")), /root element <feed>, not <OAI-PMH>/);
  assert.throws(() => parseOaiPage("<OAI-PMH><ListRecords>"), XmlFormatError);
});
