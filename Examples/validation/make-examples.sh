#!/bin/sh
# Writes the validation examples: FHIR JSON from make-examples.py, then FHIR XML from each JSON
# file through the project's own encoder (`ivig-fhir convert --to xml --pretty`).
# Run from the package root:  sh Examples/validation/make-examples.sh [path/to/ivig-fhir]
set -eu
here=$(dirname "$0")
tool=${1:-.build/debug/ivig-fhir}
python3 "$here/make-examples.py"
rm -rf "$here/xml"
for json in $(cd "$here/json" && find . -name '*.json' | sort); do
    xml="$here/xml/${json%.json}.xml"
    mkdir -p "$(dirname "$xml")"
    "$tool" convert --to xml --pretty "$here/json/$json" > "$xml"
done
