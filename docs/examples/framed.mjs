// Each commune's party-member figures, with the passage each rests on. Plain Node, no packages:
//   node docs/examples/framed.mjs [build/release/places.jsonld]
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "build/release/places.jsonld";
const places = JSON.parse(readFileSync(file, "utf8"))["@graph"];
for (const commune of places.filter((place) => place.type.includes("Commune"))) {
  for (const org of commune.ledBy) {
    for (const fact of org.orgFacts.filter((f) => f.indicator.notation === "party-members")) {
      const quotes = fact.evidence.map((e) => `«${e.hasSelector.exact}»`).join(" ");
      console.log(`${commune.label.vi}\t${fact.obsValue}\t${fact.refPeriod.plainLabel[0]}\t${quotes}`);
    }
  }
}
