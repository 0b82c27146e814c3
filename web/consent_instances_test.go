package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// A request reads its viewer's consents at most once and keeps them no longer than itself: a
// consent switched off on instance A holds on the very next request instance B serves.
func TestConsentWithdrawnOnOneInstanceHoldsOnTheNextRequestOnAnother(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, b := newApp(t, db), newApp(t, db)
		a.admin("ci_admin").createGroup("Sleep and rest", "sleep", "public", false)
		writer, reader := a.member("ci_writer"), a.member("ci_reader")
		writer.join("sleep")
		reader.join("sleep")
		garden := writer.newTopic("sleep", "Gardening in the evening helps me unwind", "Watering tomatoes and weeding the garden before bed calms me.")
		writer.newTopic("sleep", "Tomatoes and weeding: my garden routine", "Weeding tomatoes in the garden every evening.")
		writer.newTopic("sleep", "Weighted blankets", "Has anyone tried a weighted blanket for anxiety?")
		second := writer.newTopic("sleep", "Awake at four", "Again.")
		onB := &client{t: t, a: b, http: reader.http} // the same browser, served by instance B
		opens := func(topic int64) int {
			a.privacy.Flush(context.Background())
			b.privacy.Flush(context.Background())
			return count(t, db, `SELECT COUNT(*) FROM activity_events WHERE topic_id = ?`, topic)
		}
		personal := func() bool {
			for _, r := range suggestionRows(t, onB) {
				if strings.HasPrefix(r.reason, "Because you read") {
					return true
				}
			}
			return false
		}

		consent(reader, "reading_history", true)
		consent(reader, "personalized_recommendations", true)
		onB.get(fmt.Sprintf("/t/%d", garden))
		if n := opens(garden); n != 1 {
			t.Fatalf("%d opens recorded on B with reading history on, want 1: the test would prove nothing", n)
		}
		if !personal() {
			t.Fatal("no suggestion on B rests on what the member read: the test would prove nothing")
		}
		mustNotContain(t, onB.get("/g/sleep").body, "reading-off")

		consent(reader, "personalized_recommendations", false) // on A
		if personal() {
			t.Error("B still suggests from the member's reading on the request after personalized suggestions were switched off on A")
		}
		consent(onB, "personalized_recommendations", true) // and on again, on B
		if !personal() {
			t.Error("B does not use the member's reading on the request after they switched personalized suggestions on again")
		}

		consent(reader, "reading_history", false) // on A
		onB.get(fmt.Sprintf("/t/%d", second))
		if n := opens(second); n != 0 {
			t.Errorf("B recorded %d opens on the request after the consent was withdrawn on A", n)
		}
		mustContain(t, onB.get("/g/sleep").body, "reading-off")
		if personal() {
			t.Error("B suggests from reading history on the request after it was switched off on A")
		}

		consent(onB, "reading_history", true)
		reader.get(fmt.Sprintf("/t/%d", second))
		if n := opens(second); n != 1 {
			t.Errorf("A recorded %d opens on the request after the consent was given on B, want 1", n)
		}
	})
}
