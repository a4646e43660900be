package server

// The generated router serves the interactions a service implements, resource by
// resource; these one-line methods give each served type the store-backed helpers of
// service.go. BulkDataExport (export.go) is read, searched and deleted only: jobs are
// created by $export.

import (
	"context"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
)

// ReadPatient reads the current Patient.
func (s *Service) ReadPatient(ctx context.Context, r fhir.ReadRequest) (*fhir.Patient, error) {
	return read[fhir.Patient](ctx, s, "Patient", r)
}

// VReadPatient reads one version of a Patient.
func (s *Service) VReadPatient(ctx context.Context, r fhir.VReadRequest) (*fhir.Patient, error) {
	return vread[fhir.Patient](ctx, s, "Patient", r)
}

// CreatePatient stores a new Patient.
func (s *Service) CreatePatient(ctx context.Context, r fhir.CreateRequest[fhir.Patient]) (*fhir.Patient, fhir.Saved, error) {
	return create(ctx, s, "Patient", r)
}

// UpdatePatient writes a new version of a Patient, checking If-Match.
func (s *Service) UpdatePatient(ctx context.Context, r fhir.UpdateRequest[fhir.Patient]) (*fhir.Patient, fhir.Saved, error) {
	return update(ctx, s, "Patient", r)
}

// DeletePatient writes a tombstone for a Patient.
func (s *Service) DeletePatient(ctx context.Context, r fhir.DeleteRequest) error {
	return remove(ctx, s, "Patient", r)
}

// HistoryPatient lists versions of one Patient or of all.
func (s *Service) HistoryPatient(ctx context.Context, r fhir.HistoryRequest) (*fhir.HistoryPage[fhir.Patient], error) {
	return history[fhir.Patient](ctx, s, "Patient", r)
}

// SearchPatient answers a Patient search from the index.
func (s *Service) SearchPatient(ctx context.Context, r fhir.ServerSearchRequest) (*fhir.ServerSearchPage[fhir.Patient], error) {
	return search[fhir.Patient](ctx, s, "Patient", r)
}

// ReadObservation reads the current Observation.
func (s *Service) ReadObservation(ctx context.Context, r fhir.ReadRequest) (*fhir.Observation, error) {
	return read[fhir.Observation](ctx, s, "Observation", r)
}

// VReadObservation reads one version of a Observation.
func (s *Service) VReadObservation(ctx context.Context, r fhir.VReadRequest) (*fhir.Observation, error) {
	return vread[fhir.Observation](ctx, s, "Observation", r)
}

// CreateObservation stores a new Observation.
func (s *Service) CreateObservation(ctx context.Context, r fhir.CreateRequest[fhir.Observation]) (*fhir.Observation, fhir.Saved, error) {
	return create(ctx, s, "Observation", r)
}

// UpdateObservation writes a new version of a Observation, checking If-Match.
func (s *Service) UpdateObservation(ctx context.Context, r fhir.UpdateRequest[fhir.Observation]) (*fhir.Observation, fhir.Saved, error) {
	return update(ctx, s, "Observation", r)
}

// DeleteObservation writes a tombstone for a Observation.
func (s *Service) DeleteObservation(ctx context.Context, r fhir.DeleteRequest) error {
	return remove(ctx, s, "Observation", r)
}

// HistoryObservation lists versions of one Observation or of all.
func (s *Service) HistoryObservation(ctx context.Context, r fhir.HistoryRequest) (*fhir.HistoryPage[fhir.Observation], error) {
	return history[fhir.Observation](ctx, s, "Observation", r)
}

// SearchObservation answers a Observation search from the index.
func (s *Service) SearchObservation(ctx context.Context, r fhir.ServerSearchRequest) (*fhir.ServerSearchPage[fhir.Observation], error) {
	return search[fhir.Observation](ctx, s, "Observation", r)
}

// ReadEncounter reads the current Encounter.
func (s *Service) ReadEncounter(ctx context.Context, r fhir.ReadRequest) (*fhir.Encounter, error) {
	return read[fhir.Encounter](ctx, s, "Encounter", r)
}

// VReadEncounter reads one version of a Encounter.
func (s *Service) VReadEncounter(ctx context.Context, r fhir.VReadRequest) (*fhir.Encounter, error) {
	return vread[fhir.Encounter](ctx, s, "Encounter", r)
}

// CreateEncounter stores a new Encounter.
func (s *Service) CreateEncounter(ctx context.Context, r fhir.CreateRequest[fhir.Encounter]) (*fhir.Encounter, fhir.Saved, error) {
	return create(ctx, s, "Encounter", r)
}

// UpdateEncounter writes a new version of a Encounter, checking If-Match.
func (s *Service) UpdateEncounter(ctx context.Context, r fhir.UpdateRequest[fhir.Encounter]) (*fhir.Encounter, fhir.Saved, error) {
	return update(ctx, s, "Encounter", r)
}

// DeleteEncounter writes a tombstone for a Encounter.
func (s *Service) DeleteEncounter(ctx context.Context, r fhir.DeleteRequest) error {
	return remove(ctx, s, "Encounter", r)
}

// HistoryEncounter lists versions of one Encounter or of all.
func (s *Service) HistoryEncounter(ctx context.Context, r fhir.HistoryRequest) (*fhir.HistoryPage[fhir.Encounter], error) {
	return history[fhir.Encounter](ctx, s, "Encounter", r)
}

// SearchEncounter answers a Encounter search from the index.
func (s *Service) SearchEncounter(ctx context.Context, r fhir.ServerSearchRequest) (*fhir.ServerSearchPage[fhir.Encounter], error) {
	return search[fhir.Encounter](ctx, s, "Encounter", r)
}

// ReadCondition reads the current Condition.
func (s *Service) ReadCondition(ctx context.Context, r fhir.ReadRequest) (*fhir.Condition, error) {
	return read[fhir.Condition](ctx, s, "Condition", r)
}

// VReadCondition reads one version of a Condition.
func (s *Service) VReadCondition(ctx context.Context, r fhir.VReadRequest) (*fhir.Condition, error) {
	return vread[fhir.Condition](ctx, s, "Condition", r)
}

// CreateCondition stores a new Condition.
func (s *Service) CreateCondition(ctx context.Context, r fhir.CreateRequest[fhir.Condition]) (*fhir.Condition, fhir.Saved, error) {
	return create(ctx, s, "Condition", r)
}

// UpdateCondition writes a new version of a Condition, checking If-Match.
func (s *Service) UpdateCondition(ctx context.Context, r fhir.UpdateRequest[fhir.Condition]) (*fhir.Condition, fhir.Saved, error) {
	return update(ctx, s, "Condition", r)
}

// DeleteCondition writes a tombstone for a Condition.
func (s *Service) DeleteCondition(ctx context.Context, r fhir.DeleteRequest) error {
	return remove(ctx, s, "Condition", r)
}

// HistoryCondition lists versions of one Condition or of all.
func (s *Service) HistoryCondition(ctx context.Context, r fhir.HistoryRequest) (*fhir.HistoryPage[fhir.Condition], error) {
	return history[fhir.Condition](ctx, s, "Condition", r)
}

// SearchCondition answers a Condition search from the index.
func (s *Service) SearchCondition(ctx context.Context, r fhir.ServerSearchRequest) (*fhir.ServerSearchPage[fhir.Condition], error) {
	return search[fhir.Condition](ctx, s, "Condition", r)
}

// ReadGroup reads the current Group.
func (s *Service) ReadGroup(ctx context.Context, r fhir.ReadRequest) (*fhir.Group, error) {
	return read[fhir.Group](ctx, s, "Group", r)
}

// VReadGroup reads one version of a Group.
func (s *Service) VReadGroup(ctx context.Context, r fhir.VReadRequest) (*fhir.Group, error) {
	return vread[fhir.Group](ctx, s, "Group", r)
}

// CreateGroup stores a new Group.
func (s *Service) CreateGroup(ctx context.Context, r fhir.CreateRequest[fhir.Group]) (*fhir.Group, fhir.Saved, error) {
	return create(ctx, s, "Group", r)
}

// UpdateGroup writes a new version of a Group, checking If-Match.
func (s *Service) UpdateGroup(ctx context.Context, r fhir.UpdateRequest[fhir.Group]) (*fhir.Group, fhir.Saved, error) {
	return update(ctx, s, "Group", r)
}

// DeleteGroup writes a tombstone for a Group.
func (s *Service) DeleteGroup(ctx context.Context, r fhir.DeleteRequest) error {
	return remove(ctx, s, "Group", r)
}

// HistoryGroup lists versions of one Group or of all.
func (s *Service) HistoryGroup(ctx context.Context, r fhir.HistoryRequest) (*fhir.HistoryPage[fhir.Group], error) {
	return history[fhir.Group](ctx, s, "Group", r)
}

// SearchGroup answers a Group search from the index.
func (s *Service) SearchGroup(ctx context.Context, r fhir.ServerSearchRequest) (*fhir.ServerSearchPage[fhir.Group], error) {
	return search[fhir.Group](ctx, s, "Group", r)
}

// ReadDeviceReading reads the current DeviceReading.
func (s *Service) ReadDeviceReading(ctx context.Context, r fhir.ReadRequest) (*fhir.DeviceReading, error) {
	return read[fhir.DeviceReading](ctx, s, "DeviceReading", r)
}

// VReadDeviceReading reads one version of a DeviceReading.
func (s *Service) VReadDeviceReading(ctx context.Context, r fhir.VReadRequest) (*fhir.DeviceReading, error) {
	return vread[fhir.DeviceReading](ctx, s, "DeviceReading", r)
}

// CreateDeviceReading stores a new DeviceReading.
func (s *Service) CreateDeviceReading(ctx context.Context, r fhir.CreateRequest[fhir.DeviceReading]) (*fhir.DeviceReading, fhir.Saved, error) {
	return create(ctx, s, "DeviceReading", r)
}

// UpdateDeviceReading writes a new version of a DeviceReading, checking If-Match.
func (s *Service) UpdateDeviceReading(ctx context.Context, r fhir.UpdateRequest[fhir.DeviceReading]) (*fhir.DeviceReading, fhir.Saved, error) {
	return update(ctx, s, "DeviceReading", r)
}

// DeleteDeviceReading writes a tombstone for a DeviceReading.
func (s *Service) DeleteDeviceReading(ctx context.Context, r fhir.DeleteRequest) error {
	return remove(ctx, s, "DeviceReading", r)
}

// HistoryDeviceReading lists versions of one DeviceReading or of all.
func (s *Service) HistoryDeviceReading(ctx context.Context, r fhir.HistoryRequest) (*fhir.HistoryPage[fhir.DeviceReading], error) {
	return history[fhir.DeviceReading](ctx, s, "DeviceReading", r)
}

// SearchDeviceReading answers a DeviceReading search from the index.
func (s *Service) SearchDeviceReading(ctx context.Context, r fhir.ServerSearchRequest) (*fhir.ServerSearchPage[fhir.DeviceReading], error) {
	return search[fhir.DeviceReading](ctx, s, "DeviceReading", r)
}

// ReadBulkDataExport reads an export job record.
func (s *Service) ReadBulkDataExport(ctx context.Context, r fhir.ReadRequest) (*fhir.BulkDataExport, error) {
	return read[fhir.BulkDataExport](ctx, s, "BulkDataExport", r)
}

// VReadBulkDataExport reads one version of an export job record.
func (s *Service) VReadBulkDataExport(ctx context.Context, r fhir.VReadRequest) (*fhir.BulkDataExport, error) {
	return vread[fhir.BulkDataExport](ctx, s, "BulkDataExport", r)
}

// HistoryBulkDataExport lists the versions of export job records (each status change is one).
func (s *Service) HistoryBulkDataExport(ctx context.Context, r fhir.HistoryRequest) (*fhir.HistoryPage[fhir.BulkDataExport], error) {
	return history[fhir.BulkDataExport](ctx, s, "BulkDataExport", r)
}

// SearchBulkDataExport searches export job records (by status, _lastUpdated, ...).
func (s *Service) SearchBulkDataExport(ctx context.Context, r fhir.ServerSearchRequest) (*fhir.ServerSearchPage[fhir.BulkDataExport], error) {
	return search[fhir.BulkDataExport](ctx, s, "BulkDataExport", r)
}
