package privacy_test

import (
	"encoding/json"
	"testing"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// receiptJSON returns a receipt as the member downloads it, decoded without Go's types.
func receiptJSON(t *testing.T, r privacy.Receipt) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// checkKinds fails for every key of want that m lacks or holds with another JSON kind.
func checkKinds(t *testing.T, where string, m map[string]any, want map[string]string) {
	t.Helper()
	for key, kind := range want {
		v, ok := m[key]
		if !ok {
			t.Errorf("%s: no %q", where, key)
			continue
		}
		var got string
		switch v.(type) {
		case string:
			got = "string"
		case float64:
			got = "number"
		case bool:
			got = "boolean"
		case []any:
			got = "array"
		case map[string]any:
			got = "object"
		}
		if got != kind {
			t.Errorf("%s: %q is %T (%v), want a %s", where, key, v, v, kind)
		}
	}
}

// The receipt carries every field of the Kantara Consent Receipt v1.1 that Haven can fill.
func TestReceiptHasKantaraFields(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{Name: "Haven", Contact: "privacy@haven.example",
			PolicyURL: "https://haven.example/privacy/policy", Jurisdiction: "GB", Address: "1 Harbour Row, Leith", Email: "privacy@haven.example"})
		ctx, _, _ := fixture(t, db, "receipt_holder")
		rec := must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodSignUpPrompt))
		m := receiptJSON(t, must(s.Receipt(ctx, rec.ReceiptID)))
		checkKinds(t, "receipt", m, map[string]string{
			"version": "string", "jurisdiction": "string", "consentTimestamp": "number", "collectionMethod": "string",
			"consentReceiptID": "string", "language": "string", "piiPrincipalId": "string", "piiControllers": "array",
			"policyUrl": "string", "services": "array", "sensitive": "boolean", "spiCat": "array",
			"haven:action": "string", "haven:purposeKey": "string", "haven:purposeVersion": "number",
		})
		if _, ok := m["publicKey"]; ok {
			t.Error("publicKey is present, but Haven does not sign receipts")
		}
		if m["version"] != "KI-CR-v1.1.0" || m["consentReceiptID"] != rec.ReceiptID || m["language"] != "en" ||
			m["jurisdiction"] != "GB" || m["collectionMethod"] != "Haven welcome screen" || m["haven:action"] != "granted" ||
			m["haven:purposeKey"] != privacy.ReadingHistory || m["policyUrl"] != "https://haven.example/privacy/policy" {
			t.Errorf("receipt: %v", m)
		}
		if ts := m["consentTimestamp"].(float64); int64(ts) != rec.CreatedAt.Unix() {
			t.Errorf("consentTimestamp %v, want %d (Unix seconds)", ts, rec.CreatedAt.Unix())
		}
		if m["sensitive"] != true || len(m["spiCat"].([]any)) != 1 || m["spiCat"].([]any)[0] != "Health" {
			t.Errorf("support-group data is health data: sensitive %v, spiCat %v", m["sensitive"], m["spiCat"])
		}
		if id := m["piiPrincipalId"]; id == "receipt_holder" || id == "" {
			t.Errorf("piiPrincipalId %q names the account or is empty", id)
		}

		ctrl := m["piiControllers"].([]any)[0].(map[string]any)
		// Kantara v1.1 requires the controller's address, email and phone fields.
		checkKinds(t, "piiController", ctrl, map[string]string{"piiController": "string", "contact": "string", "piiControllerUrl": "string",
			"address": "string", "email": "string", "phone": "string"})
		if ctrl["piiControllerUrl"] != "https://haven.example" || ctrl["contact"] != "privacy@haven.example" ||
			ctrl["address"] != "1 Harbour Row, Leith" || ctrl["email"] != "privacy@haven.example" {
			t.Errorf("piiController: %v", ctrl)
		}
		svc := m["services"].([]any)[0].(map[string]any)
		checkKinds(t, "service", svc, map[string]string{"service": "string", "purposes": "array"})
		purpose := svc["purposes"].([]any)[0].(map[string]any)
		checkKinds(t, "purpose", purpose, map[string]string{"purpose": "string", "purposeCategory": "array", "consentType": "string",
			"piiCategory": "array", "primaryPurpose": "boolean", "termination": "string", "thirdPartyDisclosure": "boolean"})
		p, _ := privacy.Lookup(privacy.ReadingHistory)
		if purpose["purpose"] != p.Sentence || purpose["consentType"] != "EXPLICIT" || purpose["thirdPartyDisclosure"] != false ||
			len(purpose["purposeCategory"].([]any)) == 0 || len(purpose["piiCategory"].([]any)) == 0 {
			t.Errorf("purpose: %v", purpose)
		}
		if _, ok := purpose["thirdPartyName"]; ok {
			t.Error("thirdPartyName is present, but nothing is disclosed to anyone")
		}
	})
}

func TestReceiptForWithdrawal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{Name: "Haven"})
		ctx, _, _ := fixture(t, db, "withdrawer")
		s.SetConsent(ctx, privacy.CommunityInsights, true, privacy.MethodDashboard)
		rec := must(s.SetConsent(ctx, privacy.CommunityInsights, false, privacy.MethodDashboard))
		r := must(s.Receipt(ctx, rec.ReceiptID))
		if r.Action != "withdrawn" || r.CollectionMethod != "Haven privacy dashboard" || r.PurposeKey != privacy.CommunityInsights {
			t.Errorf("withdrawal receipt: %+v", r)
		}
		m := receiptJSON(t, r)
		if ctrl := m["piiControllers"].([]any)[0].(map[string]any); ctrl["piiController"] != "Haven" {
			t.Errorf("piiController: %v", ctrl)
		}
	})
}

// A receipt is only ever its own member's.
func TestReceiptOfAnotherMemberIsNotFound(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		owner, _, _ := fixture(t, db, "owner")
		other, _, _ := fixture(t, db, "nosy")
		rec := must(s.SetConsent(owner, privacy.ReadingHistory, true, privacy.MethodDashboard))
		if _, err := s.Receipt(other, rec.ReceiptID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("another member's receipt: %v, want not found", err)
		}
		if _, err := s.Receipt(owner, "00000000-0000-4000-8000-000000000000"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("unknown receipt: %v, want not found", err)
		}
	})
}
