"use client";

// Mail per day as a bar chart (Recharts), drawn from data the server rendered into
// the page. Charts measure their container, so they are drawn in the browser only;
// the same numbers are in a table for screen readers and before the chart appears.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useMounted } from "@/components/use-mounted";

export type DailyPoint = { day: string; sent: number; received: number };

const shortDay = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });
};

export function DailyMailChart({ data, label }: { data: DailyPoint[]; label: string }) {
  const mounted = useMounted();
  const empty = data.every((d) => d.sent === 0 && d.received === 0);
  return (
    <figure className="min-w-0" aria-label={label}>
      <div className="h-56 w-full min-w-0" data-testid="daily-mail-chart">
        {mounted && (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data.map((d) => ({ ...d, label: shortDay(d.day) }))} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={12} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar dataKey="sent" name="Sent" fill="#0f172a" radius={[3, 3, 0, 0]} />
              <Bar dataKey="received" name="Received" fill="#38bdf8" radius={[3, 3, 0, 0]} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
      {empty && <figcaption className="mt-2 text-sm text-slate-500">No mail in this period yet.</figcaption>}
      <div className="sr-only">
        <table>
          <caption>{label}</caption>
          <thead>
            <tr>
              <th>Day</th>
              <th>Sent</th>
              <th>Received</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td>{d.sent}</td>
                <td>{d.received}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
