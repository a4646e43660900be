package conformance

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// knownInvalidExamples lists the official examples that Validate reports error-severity
// issues for, by spec, each with the rule it breaks (reviewed: the example is wrong, not the
// validator). The test fails when an example not listed has an error, and when a listed one
// validates (the list only shrinks: a ratchet like invalidExamples of the round trip).
// Entries for the root constraints (dom-*, que-2, sdf-4, sdf-27, csd-1, bdl-7) were each
// confirmed against the example JSON by a script before they were added.
var knownInvalidExamples = map[string]map[string]string{
	"r4": {
		"hl7.fhir.r4.examples@4.0.1/TestScript-testscript-example-history.json":                                               "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4.examples@4.0.1/TestScript-testscript-example-multisystem.json":                                           "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4.examples@4.0.1/TestScript-testscript-example-readtest.json":                                              "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4.examples@4.0.1/TestScript-testscript-example-search.json":                                                "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4.examples@4.0.1/TestScript-testscript-example-update.json":                                                "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4.examples@4.0.1/TestScript-testscript-example.json":                                                       "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4.examples@4.0.1/Bundle-b0a5e4277-83c4-4adb-87e2-e3efe3369b6f.json":                                        "mimetypes (required): Endpoint.payloadMimeType parameter values with a space or '/' unquoted (variant=DICOM WADO-RS; RFC 2045 §5.1 wants a quoted-string)",
		"hl7.fhir.r4.examples@4.0.1/DeviceMetric-example.json":                                                                "DeviceMetric.parent: Reference(Device) points to a DeviceDefinition",
		"hl7.fhir.r4.examples@4.0.1/DeviceUseStatement-example.json":                                                          "DeviceUseStatement.reasonReference: a Procedure is not an allowed target",
		"hl7.fhir.r4.examples@4.0.1/ImplementationGuide-fhir.json":                                                            "ImplementationGuide.name and .status (1..1) are missing",
		"hl7.fhir.r4.examples@4.0.1/ig-r4.json":                                                                               "ImplementationGuide.name and .status (1..1) are missing",
		"hl7.fhir.r4.examples@4.0.1/MedicationRequest-medrx0301.json":                                                         "MedicationRequest.dispenseRequest.performer: Reference(Organization) points to a Practitioner",
		"hl7.fhir.r4.examples@4.0.1/Observation-clinical-gender.json":                                                         "Observation.performer: an Encounter is not an allowed target",
		"hl7.fhir.r4.examples@4.0.1/Questionnaire-bb.json":                                                                    "que-7: enableWhen with operator 'exists' and a non-boolean answer",
		"hl7.fhir.r4.examples@4.0.1/Questionnaire-qs1.json":                                                                   "Questionnaire.item.linkId (1..1) is missing in nested items",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-author.json":                             "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-effective.json":                          "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-end.json":                                "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-keyword.json":                            "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-workflow.json":                           "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-author.json":                                 "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-effective.json":                              "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-end.json":                                    "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-keyword.json":                                "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-workflow.json":                               "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/Bundle-dataelements.json":                                                                 "bdl-7: fullUrl repeated without a distinct meta.versionId, e.g. http://hl7.org/fhir/StructureDefinition/de-Quantity.value",
		"hl7.fhir.r4.examples@4.0.1/StructureDefinition-Definition.json":                                                      "sdf-4: abstract is false and there is no baseDefinition",
		"hl7.fhir.r4.examples@4.0.1/StructureDefinition-Event.json":                                                           "sdf-4: abstract is false and there is no baseDefinition",
		"hl7.fhir.r4.examples@4.0.1/StructureDefinition-FiveWs.json":                                                          "sdf-4: abstract is false and there is no baseDefinition",
		"hl7.fhir.r4.examples@4.0.1/StructureDefinition-Request.json":                                                         "sdf-4: abstract is false and there is no baseDefinition",
		"hl7.fhir.r4.examples@4.0.1/ActivityDefinition-blood-tubes-supply.json":                                               "txt-2: the narrative div holds only white space",
		"hl7.fhir.r4.examples@4.0.1/ActivityDefinition-heart-valve-replacement.json":                                          "txt-2: the narrative div holds only white space",
		"hl7.fhir.r4.examples@4.0.1/EventDefinition-example.json":                                                             "txt-2: the narrative div holds only white space",
		"hl7.fhir.r4.examples@4.0.1/Questionnaire-zika-virus-exposure-assessment.json":                                        "txt-2: the narrative div holds only an empty <pre>",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json": "Resource.id: 67 characters, an id has at most 64",
	},
	"r4b": {
		"hl7.fhir.r4b.examples@4.3.0/TestScript-testscript-example-history.json":                                               "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4b.examples@4.3.0/TestScript-testscript-example-multisystem.json":                                           "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4b.examples@4.3.0/TestScript-testscript-example-readtest.json":                                              "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4b.examples@4.3.0/TestScript-testscript-example-search.json":                                                "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4b.examples@4.3.0/TestScript-testscript-example-update.json":                                                "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4b.examples@4.3.0/TestScript-testscript-example.json":                                                       "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r4b.core@4.3.0/CodeSystem-catalogType.json":                                                                  "CodeSystem.status: required element missing",
		"hl7.fhir.r4b.core@4.3.0/ConceptMap-cm-administrative-gender-v2.json":                                                  "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.core@4.3.0/ConceptMap-cm-contact-point-use-v2.json":                                                      "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.core@4.3.0/ConceptMap-cm-name-use-v2.json":                                                               "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-author.json":                                 "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-effective.json":                              "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-end.json":                                    "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-keyword.json":                                "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-workflow.json":                               "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-author.json":                                     "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-effective.json":                                  "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-end.json":                                        "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-keyword.json":                                    "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-workflow.json":                                   "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/StructureDefinition-Definition.json":                                                          "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.core@4.3.0/StructureDefinition-Event.json":                                                               "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.core@4.3.0/StructureDefinition-Request.json":                                                             "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.core@4.3.0/ValueSet-catalogType.json":                                                                    "ValueSet.status: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/Bundle-conceptmaps.json":                                                                  "Bundle.entry.resource.ofType(ConceptMap).group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/Bundle-valuesets.json":                                                                    "Bundle.entry.resource.ofType(CodeSystem).status: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/CodeSystem-catalogType.json":                                                              "CodeSystem.status: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/ConceptMap-cm-administrative-gender-v2.json":                                              "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/ConceptMap-cm-contact-point-use-v2.json":                                                  "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/ConceptMap-cm-name-use-v2.json":                                                           "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/DeviceMetric-example.json":                                                                "DeviceMetric.parent.reference: reference to a DeviceDefinition where only Device is allowed",
		"hl7.fhir.r4b.examples@4.3.0/Observation-clinical-gender.json":                                                         "Observation.performer.reference: reference to a Encounter where only Practitioner, PractitionerRole, Organization, CareTeam, Patient or RelatedPerson is allowed",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-author.json":                             "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-effective.json":                          "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-end.json":                                "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-keyword.json":                            "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-workflow.json":                           "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-author.json":                                 "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-effective.json":                              "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-end.json":                                    "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-keyword.json":                                "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-workflow.json":                               "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/StructureDefinition-Definition.json":                                                      "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.examples@4.3.0/StructureDefinition-Event.json":                                                           "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.examples@4.3.0/StructureDefinition-Request.json":                                                         "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.examples@4.3.0/ValueSet-catalogType.json":                                                                "ValueSet.status: required element missing",
		"hl7.fhir.r4b.core@4.3.0/CodeSystem-therapy-relationship-type.json":                                                    "csd-1: code 'indicated-only-before' is defined twice",
		"hl7.fhir.r4b.core@4.3.0/StructureDefinition-FiveWs.json":                                                              "sdf-4: abstract is false and there is no baseDefinition",
		"hl7.fhir.r4b.examples@4.3.0/CodeSystem-therapy-relationship-type.json":                                                "csd-1: code 'indicated-only-before' is defined twice",
		"hl7.fhir.r4b.examples@4.3.0/Questionnaire-qs1.json":                                                                   "que-2: linkId 'ServiceRequest.quantity[x]._null' is used more than once",
		"hl7.fhir.r4b.examples@4.3.0/StructureDefinition-FiveWs.json":                                                          "sdf-4: abstract is false and there is no baseDefinition",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json":     "Resource.id: 67 characters, an id has at most 64",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json": "Resource.id: 67 characters, an id has at most 64",
	},
	"r5": {
		"hl7.fhir.r5.examples@5.0.0/TestScript-testscript-example-history.json":              "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r5.examples@5.0.0/TestScript-testscript-example-multisystem.json":          "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r5.examples@5.0.0/TestScript-testscript-example-readtest.json":             "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r5.examples@5.0.0/TestScript-testscript-example-search.json":               "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r5.examples@5.0.0/TestScript-testscript-example-update.json":               "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r5.examples@5.0.0/TestScript-testscript-example.json":                      "mimetypes (required): operation.accept/contentType \"xml\", \"json\": STU3's short format codes, not media types",
		"hl7.fhir.r5.examples@5.0.0/Bundle-b5711af0a-d678-46d1-86e9-66e454cf1522.json":       "mimetypes (required): Endpoint.payload.mimeType x-application/hl7-v2+er7 (x-application is no registered top-level type) and unquoted parameter values with a space (variant=DICOM WADO-RS)",
		"hl7.fhir.r5.core@5.0.0/ImplementationGuide-fhir.json":                               "ImplementationGuide.name: required element missing",
		"hl7.fhir.r5.examples@5.0.0/BiologicallyDerivedProduct-allogeneicHCT.json":           "BiologicallyDerivedProduct.request.reference: reference to a BiologicallyDerivedProduct where only ServiceRequest is allowed",
		"hl7.fhir.r5.examples@5.0.0/BiologicallyDerivedProduct-autologousHCT.json":           "BiologicallyDerivedProduct.request.reference: reference to a BiologicallyDerivedProduct where only ServiceRequest is allowed",
		"hl7.fhir.r5.examples@5.0.0/DocumentReference-xray.json":                             "DocumentReference.context.reference: reference to a DocumentReference where only Appointment, Encounter or EpisodeOfCare is allowed",
		"hl7.fhir.r5.examples@5.0.0/Encounter-example.json":                                  "Encounter.careTeam.reference: reference to a Encounter where only CareTeam is allowed",
		"hl7.fhir.r5.examples@5.0.0/Medication-med0301.json":                                 "Medication.identifier: ele-1: All FHIR elements must have a @value or children",
		"hl7.fhir.r5.examples@5.0.0/Transport-simpledelivery.json":                           "Transport.requestedLocation.reference: reference to a Transport where only Location is allowed",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-Definition.json":                         "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-Event.json":                              "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-FiveWs.json":                             "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-Participant.json":                        "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-ParticipantContactable.json":             "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-ParticipantLiving.json":                  "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-Product.json":                            "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-Publishable.json":                        "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-Request.json":                            "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.core@5.0.0/StructureDefinition-Shareable.json":                          "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ActivityDefinition1.json":             "que-2: linkId 'ActivityDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ActorDefinition1.json":                "que-2: linkId 'ActorDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-AdministrableProductDefinition1.json": "que-2: linkId 'AdministrableProductDefinition.property.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-AdverseEvent1.json":                   "que-2: linkId 'AdverseEvent.occurrence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-AllergyIntolerance1.json":             "que-2: linkId 'AllergyIntolerance.onset[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ArtifactAssessment1.json":             "que-2: linkId 'ArtifactAssessment.citeAs[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-AuditEvent1.json":                     "que-2: linkId 'AuditEvent.occurred[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-BiologicallyDerivedProduct1.json":     "que-2: linkId 'BiologicallyDerivedProduct.collection.collected[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-BodyStructure1.json":                  "que-2: linkId 'BodyStructure.includedStructure.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Bundle1.json":                         "que-2: linkId 'Bundle.link.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-CapabilityStatement1.json":            "que-2: linkId 'CapabilityStatement.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-CareTeam1.json":                       "que-2: linkId 'CareTeam.participant.coverage[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ChargeItem1.json":                     "que-2: linkId 'ChargeItem.occurrence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ChargeItemDefinition1.json":           "que-2: linkId 'ChargeItemDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Citation1.json":                       "que-2: linkId 'Citation.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Claim1.json":                          "que-2: linkId 'Claim.event.when[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ClaimResponse1.json":                  "que-2: linkId 'ClaimResponse.event.when[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ClinicalImpression1.json":             "que-2: linkId 'ClinicalImpression.effective[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ClinicalUseDefinition1.json":          "que-2: linkId 'ClinicalUseDefinition.contraindication.otherTherapy.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-CodeSystem1.json":                     "que-2: linkId 'CodeSystem.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Communication1.json":                  "que-2: linkId 'Communication.payload.content[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-CommunicationRequest1.json":           "que-2: linkId 'CommunicationRequest.payload.content[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-CompartmentDefinition1.json":          "que-2: linkId 'CompartmentDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Composition1.json":                    "que-2: linkId 'Composition.section.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ConceptMap1.json":                     "que-2: linkId 'ConceptMap.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Condition1.json":                      "que-2: linkId 'Condition.onset[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ConditionDefinition1.json":            "que-2: linkId 'ConditionDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Consent1.json":                        "que-2: linkId 'Consent.provision.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Contract1.json":                       "que-2: linkId 'Contract.topic[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Coverage1.json":                       "que-2: linkId 'Coverage.costToBeneficiary.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-CoverageEligibilityRequest1.json":     "que-2: linkId 'CoverageEligibilityRequest.event.when[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-CoverageEligibilityResponse1.json":    "que-2: linkId 'CoverageEligibilityResponse.event.when[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-DetectedIssue1.json":                  "que-2: linkId 'DetectedIssue.identified[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Device1.json":                         "que-2: linkId 'Device.property.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-DeviceDefinition1.json":               "que-2: linkId 'DeviceDefinition.udiDeviceIdentifier.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-DeviceRequest1.json":                  "que-2: linkId 'DeviceRequest.parameter.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-DeviceUsage1.json":                    "que-2: linkId 'DeviceUsage.timing[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-DiagnosticReport1.json":               "que-2: linkId 'DiagnosticReport.effective[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-DocumentReference1.json":              "que-2: linkId 'DocumentReference.content.profile.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-EventDefinition1.json":                "que-2: linkId 'EventDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Evidence1.json":                       "que-2: linkId 'Evidence.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-EvidenceReport1.json":                 "que-2: linkId 'EvidenceReport.citeAs[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-EvidenceVariable1.json":               "que-2: linkId 'EvidenceVariable.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ExampleScenario1.json":                "que-2: linkId 'ExampleScenario.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ExplanationOfBenefit1.json":           "que-2: linkId 'ExplanationOfBenefit.event.when[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-FamilyMemberHistory1.json":            "que-2: linkId 'FamilyMemberHistory.born[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-GenomicStudy1.json":                   "que-2: linkId 'GenomicStudy.analysis.input.generatedBy[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Goal1.json":                           "que-2: linkId 'Goal.start[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-GraphDefinition1.json":                "que-2: linkId 'GraphDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Group1.json":                          "que-2: linkId 'Group.characteristic.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-GuidanceResponse1.json":               "que-2: linkId 'GuidanceResponse.module[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Immunization1.json":                   "que-2: linkId 'Immunization.occurrence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ImplementationGuide1.json":            "que-2: linkId 'ImplementationGuide.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Ingredient1.json":                     "que-2: linkId 'Ingredient.substance.strength.presentation[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-InventoryItem1.json":                  "que-2: linkId 'InventoryItem.characteristic.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Invoice1.json":                        "que-2: linkId 'Invoice.period[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Library1.json":                        "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ManufacturedItemDefinition1.json":     "que-2: linkId 'ManufacturedItemDefinition.property.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Measure1.json":                        "que-2: linkId 'Measure.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MeasureReport1.json":                  "que-2: linkId 'MeasureReport.group.measureScore[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Medication1.json":                     "que-2: linkId 'Medication.ingredient.strength[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MedicationAdministration1.json":       "que-2: linkId 'MedicationAdministration.occurence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MedicationKnowledge1.json":            "que-2: linkId 'MedicationKnowledge.cost.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MedicationRequest1.json":              "que-2: linkId 'MedicationRequest.substitution.allowed[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MedicationStatement1.json":            "que-2: linkId 'MedicationStatement.effective[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MedicinalProductDefinition1.json":     "que-2: linkId 'MedicinalProductDefinition.characteristic.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MessageDefinition1.json":              "que-2: linkId 'MessageDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MessageHeader1.json":                  "que-2: linkId 'MessageHeader.event[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-MolecularSequence1.json":              "que-2: linkId 'MolecularSequence.relative.startingSequence.sequence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-NamingSystem1.json":                   "que-2: linkId 'NamingSystem.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-NutritionIntake1.json":                "que-2: linkId 'NutritionIntake.occurrence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-NutritionOrder1.json":                 "que-2: linkId 'NutritionOrder.enteralFormula.administration.rate[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-NutritionProduct1.json":               "que-2: linkId 'NutritionProduct.characteristic.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Observation1.json":                    "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ObservationDefinition1.json":          "que-2: linkId 'ObservationDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-OperationDefinition1.json":            "que-2: linkId 'OperationDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-PackagedProductDefinition1.json":      "que-2: linkId 'PackagedProductDefinition.packaging.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Parameters1.json":                     "que-2: linkId 'Parameters.parameter.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Patient1.json":                        "que-2: linkId 'Patient.deceased[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-PaymentReconciliation1.json":          "que-2: linkId 'PaymentReconciliation.allocation.targetItem[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Person1.json":                         "que-2: linkId 'Person.deceased[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-PlanDefinition1.json":                 "que-2: linkId 'PlanDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Practitioner1.json":                   "que-2: linkId 'Practitioner.deceased[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Procedure1.json":                      "que-2: linkId 'Procedure.occurrence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Provenance1.json":                     "que-2: linkId 'Provenance.occurred[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Questionnaire1.json":                  "que-2: linkId 'Questionnaire.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-QuestionnaireResponse1.json":          "que-2: linkId 'QuestionnaireResponse.item.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-RegulatedAuthorization1.json":         "que-2: linkId 'RegulatedAuthorization.case.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-RequestOrchestration1.json":           "que-2: linkId 'RequestOrchestration.action.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Requirements1.json":                   "que-2: linkId 'Requirements.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-RiskAssessment1.json":                 "que-2: linkId 'RiskAssessment.occurrence[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-SearchParameter1.json":                "que-2: linkId 'SearchParameter.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ServiceRequest1.json":                 "que-2: linkId 'ServiceRequest.orderDetail.parameter.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Specimen1.json":                       "que-2: linkId 'Specimen.collection.collected[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-SpecimenDefinition1.json":             "que-2: linkId 'SpecimenDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-StructureDefinition1.json":            "que-2: linkId 'StructureDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-StructureMap1.json":                   "que-2: linkId 'StructureMap.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-SubscriptionTopic1.json":              "que-2: linkId 'SubscriptionTopic.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Substance1.json":                      "que-2: linkId 'Substance.ingredient.substance[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-SubstanceDefinition1.json":            "que-2: linkId 'SubstanceDefinition.moiety.amount[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-SubstanceReferenceInformation1.json":  "que-2: linkId 'SubstanceReferenceInformation.target.amount[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-SupplyDelivery1.json":                 "que-2: linkId 'SupplyDelivery.suppliedItem.item[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-SupplyRequest1.json":                  "que-2: linkId 'SupplyRequest.parameter.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Task1.json":                           "que-2: linkId 'Task.input.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-TerminologyCapabilities1.json":        "que-2: linkId 'TerminologyCapabilities.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-TestPlan1.json":                       "que-2: linkId 'TestPlan.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-TestReport1.json":                     "que-2: linkId 'TestReport.setup.action.operation.id' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-TestScript1.json":                     "que-2: linkId 'TestScript.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-Transport1.json":                      "que-2: linkId 'Transport.input.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ValueSet1.json":                       "que-2: linkId 'ValueSet.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-actualgroup1.json":                    "que-2: linkId 'Group.characteristic.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-bmi1.json":                            "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-bodyheight1.json":                     "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-bodytemp1.json":                       "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-bodyweight1.json":                     "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-bp1.json":                             "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-cdshooksguidanceresponse1.json":       "que-2: linkId 'GuidanceResponse.module[x]' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-cdshooksrequestorchestration1.json":   "que-2: linkId 'RequestOrchestration.action.relatedAction.offset[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-cdshooksserviceplandefinition1.json":  "que-2: linkId 'PlanDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-cholesterol1.json":                    "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-computableplandefinition1.json":       "que-2: linkId 'PlanDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-computablevalueset1.json":             "que-2: linkId 'ValueSet.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-cqllibrary1.json":                     "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-devicemetricobservation1.json":        "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ebmrecommendation1.json":              "que-2: linkId 'ArtifactAssessment.citeAs[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-elementdefinition-de1.json":           "que-2: linkId 'ElementDefinition.defaultValue[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-elmlibrary1.json":                     "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-executablevalueset1.json":             "que-2: linkId 'ValueSet.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-familymemberhistory-genetic1.json":    "que-2: linkId 'FamilyMemberHistory.born[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-fhirpathlibrary1.json":                "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-groupdefinition1.json":                "que-2: linkId 'Group.characteristic.value[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-hdlcholesterol1.json":                 "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-headcircum1.json":                     "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-heartrate1.json":                      "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-ldlcholesterol1.json":                 "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-lipidprofile1.json":                   "que-2: linkId 'DiagnosticReport.effective[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-logiclibrary1.json":                   "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-modelinfolibrary1.json":               "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-moduledefinitionlibrary1.json":        "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-oxygensat1.json":                      "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishableactivitydefinition1.json":  "que-2: linkId 'ActivityDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishablecodesystem1.json":          "que-2: linkId 'CodeSystem.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishableconceptmap1.json":          "que-2: linkId 'ConceptMap.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishablelibrary1.json":             "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishablemeasure1.json":             "que-2: linkId 'Measure.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishablenamingsystem1.json":        "que-2: linkId 'NamingSystem.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishableplandefinition1.json":      "que-2: linkId 'PlanDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-publishablevalueset1.json":            "que-2: linkId 'ValueSet.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-resprate1.json":                       "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareableactivitydefinition1.json":    "que-2: linkId 'ActivityDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareablecodesystem1.json":            "que-2: linkId 'CodeSystem.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareableconceptmap1.json":            "que-2: linkId 'ConceptMap.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareablelibrary1.json":               "que-2: linkId 'Library.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareablemeasure1.json":               "que-2: linkId 'Measure.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareablenamingsystem1.json":          "que-2: linkId 'NamingSystem.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareableplandefinition1.json":        "que-2: linkId 'PlanDefinition.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareabletestscript1.json":            "que-2: linkId 'TestScript.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-shareablevalueset1.json":              "que-2: linkId 'ValueSet.versionAlgorithm[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-triglyceride1.json":                   "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-vitalsigns1.json":                     "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/Questionnaire-qgen-vitalspanel1.json":                    "que-2: linkId 'Observation.instantiates[x]._null' is used more than once",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-Definition.json":                     "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-Event.json":                          "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-FiveWs.json":                         "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-Participant.json":                    "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-ParticipantContactable.json":         "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-ParticipantLiving.json":              "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-Product.json":                        "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-Publishable.json":                    "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-Request.json":                        "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
		"hl7.fhir.r5.examples@5.0.0/StructureDefinition-Shareable.json":                      "sdf-27: baseDefinition http://hl7.org/fhir/StructureDefinition/Base without derivation",
	},
}

// validateReport is the validation program's report (testdata/validate/main.go.txt).
type validateReport struct {
	Files          int                 `json:"files"`
	Examples       int                 `json:"examples"`
	DecodeFailed   map[string]string   `json:"decodeFailed"`
	Validated      int                 `json:"validated"`
	WithErrors     map[string][]string `json:"withErrors"`
	Warnings       int                 `json:"warnings"`
	ErrorIssues    int                 `json:"errorIssues"`
	IssuesByRule   map[string]int      `json:"issuesByRule"`
	CorpusBytes    int64               `json:"corpusBytes"`
	Decode         Throughput          `json:"decode"`
	Validate       Throughput          `json:"validate"`
	ValidateErrors int                 `json:"validateErrors"`
	Mutations      map[string]struct {
		Tried  int      `json:"tried"`
		Caught int      `json:"caught"`
		Missed []string `json:"missed"`
	} `json:"mutations"`
}

func TestValidateExamples(t *testing.T) {
	for _, s := range []spec{specR4, specR4B, specR5} {
		t.Run(s.name, func(t *testing.T) { validateExamples(t, s) })
	}
}

// validateModule generates s, writes it and the validation program into a module, builds
// the program and writes the mutation plan; it returns the binary and the plan.
func validateModule(t *testing.T, s spec) (string, string, generated) {
	cache := needCache(t, s.dirs()...)
	m := newModule(t)
	g := generateValidate(t, cache, s)
	for _, d := range g.diags {
		if d.Kind == "coverage" && strings.HasPrefix(d.Msg, "validate") {
			t.Logf("%s: %s", s.name, d.Msg)
		}
	}
	m.writePackage(t, s.name, g.files)
	src := readTestdata(t, "validate", "main.go.txt")
	src = bytes.Replace(src, []byte(`fhir "conformancetmp/fhir"`), []byte(`fhir "conformancetmp/`+s.name+`"`), 1)
	writeFile(t, filepath.Join(m.dir, "cmd", "validate-"+s.name, "main.go"), src)
	bin := filepath.Join(m.dir, "bin", "validate-"+s.name)
	d := m.goCmd(t, "build", "-o", bin, "./cmd/validate-"+s.name)
	t.Logf("%s: go build (generated package with validators + program): %.1fs", s.name, d.Seconds())
	plan := filepath.Join(m.dir, "plan.json")
	writeFile(t, plan, mutationPlan(g.res.Model))
	return bin, plan, g
}

func readTestdata(t *testing.T, parts ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func runValidate(t *testing.T, bin string, args ...string) (*validateReport, time.Duration) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	d := time.Since(start)
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.Bytes())
	}
	var rep validateReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	return &rep, d
}

func validateExamples(t *testing.T, s spec) {
	bin, _, _ := validateModule(t, s)
	cache := cacheDir()
	rep, d := runValidate(t, bin, append([]string{"-passes", "1"}, exampleDirs(cache, s)...)...)
	t.Logf("%s: %d examples, %d validated in %.1fs, %d with error-severity issues (%d errors, %d warnings); decode %.1f MB/s, Validate %.1f MB/s over %.1f MB",
		s.name, rep.Examples, rep.Validated, d.Seconds(), len(rep.WithErrors), rep.ErrorIssues, rep.Warnings,
		rep.Decode.MBps, rep.Validate.MBps, mb(rep.CorpusBytes))
	var rules []string
	for r, n := range rep.IssuesByRule {
		rules = append(rules, r+": "+strconv.Itoa(n))
	}
	sort.Strings(rules)
	t.Logf("%s: error issues by rule: %s", s.name, strings.Join(rules, ", "))
	if len(rep.DecodeFailed) > 0 {
		t.Errorf("%s: %d examples failed to decode (see TestConformance)", s.name, len(rep.DecodeFailed))
	}
	if rep.Validated != rep.Examples-len(rep.DecodeFailed) {
		t.Errorf("%s: %d of %d examples validated", s.name, rep.Validated, rep.Examples)
	}
	if dump := os.Getenv("FHIRGEN_VALIDATE_DUMP"); dump != "" {
		// every example with errors and its issues, one JSON file per version, for review
		data, _ := json.MarshalIndent(rep.WithErrors, "", " ")
		if err := os.WriteFile(dump+"."+s.name+".json", data, 0o644); err != nil {
			t.Error(err)
		}
	}
	known := knownInvalidExamples[s.name]
	var files []string
	for f := range rep.WithErrors {
		files = append(files, f)
	}
	sort.Strings(files)
	n := 0
	for _, f := range files {
		if _, ok := known[f]; ok {
			continue
		}
		if n++; n <= 40 {
			t.Errorf("%s: %s: %s", s.name, f, strings.Join(first(rep.WithErrors[f], 3), "; "))
		}
	}
	if n > 40 {
		t.Errorf("%s: and %d more examples with errors", s.name, n-40)
	}
	for f, rule := range known {
		if _, ok := rep.WithErrors[f]; !ok {
			t.Errorf("%s: %s is listed as invalid (%s) but validates: remove it from knownInvalidExamples", s.name, f, rule)
		}
	}
}

func first(l []string, n int) []string {
	if len(l) > n {
		return append(l[:n:n], "…")
	}
	return l
}

// TestValidateMutations mutates the valid R4 examples and checks Validate reports each
// mutation at the mutated location with the expected code: drop a required element,
// exceed a maximum (an array beyond a finite max), a bogus code in a required binding (on
// a code, a Coding or a CodeableConcept), a malformed date, a whitespace-only string, a
// reference to a disallowed type, break ext-1. A singular element given twice (class
// exceed-max-1) is a structural fault: it must be a decode error at its location.
func TestValidateMutations(t *testing.T) {
	s := specR4
	bin, plan, _ := validateModule(t, s)
	rep, d := runValidate(t, bin, append([]string{"-plan", plan}, exampleDirs(cacheDir(), s)...)...)
	t.Logf("%s: mutation run %.1fs", s.name, d.Seconds())
	classes := make([]string, 0, len(rep.Mutations))
	for c := range rep.Mutations {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		m := rep.Mutations[c]
		t.Logf("%s: %-18s %6d mutations, %6d caught", s.name, c, m.Tried, m.Caught)
		if m.Caught != m.Tried {
			t.Errorf("%s: %s: %d of %d mutations not caught, e.g.:\n  %s", s.name, c, m.Tried-m.Caught, m.Tried, strings.Join(m.Missed, "\n  "))
		}
		if m.Tried == 0 && c != "exceed-max" {
			t.Errorf("%s: no %s mutation", s.name, c)
		}
	}
}

// planField is one element of a generated type for the mutation program.
type planField struct {
	JSON     string            `json:"json"`
	Kind     string            `json:"kind"`
	Prim     string            `json:"prim,omitempty"`
	Type     string            `json:"type,omitempty"`
	Variants map[string]string `json:"variants,omitempty"`
	Min      int               `json:"min"`
	Max      int               `json:"max"`
	Array    bool              `json:"array"`
	Enum     bool              `json:"enum,omitempty"`
	Targets  []string          `json:"targets,omitempty"`
	Ext1     bool              `json:"ext1,omitempty"`
	Coded    bool              `json:"coded,omitempty"`
}

// mutationPlan describes the generated types (by FHIR name) for the mutation program.
func mutationPlan(m *ir.Model) []byte {
	plan := map[string][]planField{}
	for _, t := range m.Types {
		var fs []planField
		for _, f := range t.Fields {
			pf := planField{JSON: f.JSONName, Min: f.Min, Max: f.Max, Array: f.Array}
			switch f.Kind {
			case ir.PrimitiveField:
				pf.Kind, pf.Prim = "primitive", f.Prim.FHIRName
				pf.Enum = f.Enum != nil && f.Binding != nil && f.Binding.Strength == "required"
			case ir.ComplexField:
				pf.Kind, pf.Type = "complex", f.Type.FHIRName
				pf.Coded = f.Binding != nil && f.Binding.Strength == "required" && f.Binding.Expansion != nil &&
					(f.Type.FHIRName == "Coding" || f.Type.FHIRName == "CodeableConcept")
				if f.Type.FHIRName == "Reference" {
					pf.Targets = targets(f)
				}
				if f.Type.FHIRName == "Extension" {
					for _, c := range f.Constraints {
						if c.Key == "ext-1" {
							pf.Ext1 = true
						}
					}
				}
			case ir.ResourceField:
				pf.Kind = "resource"
			case ir.ChoiceField:
				pf.Kind = "choice"
				pf.Variants = map[string]string{}
				for _, v := range f.Choice.Variants {
					pf.Variants[v.Suffix] = v.TypeCode
				}
			}
			fs = append(fs, pf)
		}
		plan[t.FHIRName] = fs
	}
	data, _ := json.Marshal(plan)
	return data
}

// targets returns the resource types a Reference element allows, nil for any.
func targets(f *ir.Field) []string {
	var out []string
	for _, p := range f.ReferenceTargets {
		name := p[strings.LastIndexByte(p, '/')+1:]
		if !strings.HasPrefix(p, "http://hl7.org/fhir/StructureDefinition/") || name == "" || name[0] < 'A' || name[0] > 'Z' {
			return nil
		}
		if name == "Resource" || name == "DomainResource" {
			return nil
		}
		out = append(out, name)
	}
	return out
}

// TestValidateInvariantCoverage generates every version in memory and reports how many
// constraints were compiled; all of R4's must be.
func TestValidateInvariantCoverage(t *testing.T) {
	for _, s := range []spec{specR4, specR4B, specR5, specMedplum} {
		t.Run(s.name, func(t *testing.T) {
			cache := needCache(t, s.inputs...)
			g := generateValidate(t, cache, s)
			kinds := map[string]int{}
			var failed []string
			for _, d := range g.diags {
				switch {
				case d.Kind == "coverage" && strings.HasPrefix(d.Msg, "validate"):
					t.Logf("%s: %s", s.name, d.Msg)
				case strings.HasPrefix(d.Kind, "invariant") || d.Kind == "binding-not-checked":
					kinds[d.Kind]++
					if d.Kind != "binding-not-checked" {
						failed = append(failed, d.String())
					}
				}
			}
			t.Logf("%s: warnings by kind: %v", s.name, kinds)
			sort.Strings(failed)
			for i, f := range failed {
				if i == 15 {
					t.Logf("... and %d more", len(failed)-i)
					break
				}
				t.Log(f)
			}
			// every R4 constraint compiles; the one warning is cid-0, wrong in the spec
			// itself (ChargeItemDefinition has no element "name": the path selects nothing)
			var unexpected []string
			for _, f := range failed {
				if !strings.Contains(f, "constraint cid-0 (") || !strings.Contains(f, "taken as empty") {
					unexpected = append(unexpected, f)
				}
			}
			if s.name == "r4" && (len(unexpected) > 0 || kinds["invariant-ill-formed"] > 0) {
				t.Errorf("r4: %d constraints not compiled or with unexpected warnings: %v", len(unexpected), unexpected)
			}
		})
	}
}

// generateValidate generates s with the types and validate emitters only.
func generateValidate(t *testing.T, cache string, s spec) generated {
	t.Helper()
	files, res, ds := generator.Generate(os.DirFS(cache), generator.Config{
		Inputs: s.inputs, Package: s.name, Renames: s.renames, Emit: []string{"types", "validate"}})
	if ds.HasErrors() {
		t.Fatalf("%s: generation failed: %v", s.name, ds.Errors()[:min(len(ds.Errors()), 10)])
	}
	g := generated{files: files, res: res, diags: ds}
	for _, f := range files {
		g.sourceBytes += len(f.Content)
	}
	return g
}

// BenchmarkValidateR4 runs the validation program over the R4 example corpus (3 timed
// passes per iteration) and reports Validate's throughput beside decoding's, in MB of input
// JSON per second (best pass, averaged over iterations):
//
//	go test ./conformance -run '^$' -bench ValidateR4 -benchtime 1x
func BenchmarkValidateR4(b *testing.B) {
	cache := needCache(b, specR4.dirs()...)
	files, _, ds := generator.Generate(os.DirFS(cache), generator.Config{
		Inputs: specR4.inputs, Package: specR4.name, Emit: []string{"types", "validate"}})
	if ds.HasErrors() {
		b.Fatal(ds.Errors())
	}
	m := newModule(b)
	m.writePackage(b, specR4.name, files)
	src, err := os.ReadFile(filepath.Join("testdata", "validate", "main.go.txt"))
	if err != nil {
		b.Fatal(err)
	}
	src = bytes.Replace(src, []byte(`fhir "conformancetmp/fhir"`), []byte(`fhir "conformancetmp/`+specR4.name+`"`), 1)
	writeFile(b, filepath.Join(m.dir, "cmd", "validate", "main.go"), src)
	bin := filepath.Join(m.dir, "bin", "validate")
	m.goCmd(b, "build", "-o", bin, "./cmd/validate")
	var dec, val float64
	n := 0
	for b.Loop() {
		cmd := exec.Command(bin, append([]string{"-passes", "3"}, exampleDirs(cache, specR4)...)...)
		out, err := cmd.Output()
		if err != nil {
			b.Fatal(err)
		}
		var rep validateReport
		if err := json.Unmarshal(out, &rep); err != nil {
			b.Fatal(err)
		}
		dec += rep.Decode.MBps
		val += rep.Validate.MBps
		n++
	}
	b.ReportMetric(dec/float64(n), "decode-MB/s")
	b.ReportMetric(val/float64(n), "validate-MB/s")
}
