package models_test

import (
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/models/taskfile"
)

// BenchmarkExport writes one user's tasks as a file, the way Download my
// tasks does (EachTask into a taskfile writer), for lists of 1,000 and
// 20,000 tasks. Besides time and allocations per export it reports the
// time per task and the peak live heap during the export: if the export
// streams, the peak does not grow with the list.
//
//	go test -run '^$' -bench BenchmarkExport -benchtime 5x ./models/
func BenchmarkExport(b *testing.B) {
	s := dbtest.New(b)
	ctx := b.Context()
	for _, n := range []int{1000, 20000} {
		u, err := s.CreateUser(ctx, fmt.Sprintf("bench%d@example.com", n), "x")
		if err != nil {
			b.Fatal(err)
		}
		for left := n; left > 0; left -= models.MaxImportTasks {
			ins := make([]models.TaskInput, min(left, models.MaxImportTasks))
			for i := range ins {
				ins[i] = models.TaskInput{Title: fmt.Sprintf("Task number %d, of a typical length", i),
					Description: "A line or two of description, as people write them, with a few details.", DueDate: "2027-01-15"}
			}
			if _, err := s.ImportTasks(ctx, u.ID, ins); err != nil {
				b.Fatal(err)
			}
		}
		for _, format := range []taskfile.Format{taskfile.CSV, taskfile.JSON} {
			b.Run(fmt.Sprintf("%s/%d", format, n), func(b *testing.B) {
				sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
				runtime.GC()
				metrics.Read(sample)
				base := sample[0].Value.Uint64()
				var peak uint64
				b.ReportAllocs()
				for b.Loop() {
					w, err := taskfile.NewWriter(io.Discard, format, time.Now())
					if err != nil {
						b.Fatal(err)
					}
					seen := 0
					err = s.EachTask(ctx, u.ID, func(t *models.Task) error {
						if seen++; seen%models.ExportBatch == 0 {
							metrics.Read(sample)
							peak = max(peak, sample[0].Value.Uint64())
						}
						return w.Write(t)
					})
					if err != nil || seen != n {
						b.Fatalf("exported %d of %d: %v", seen, n, err)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/task")
				b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-heap-MiB")
			})
		}
	}
}
