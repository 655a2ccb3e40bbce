"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** An approved message goes out within seconds: re-render the page until its status moves on. */
export function RefreshWhileSending() {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [router]);
  return null;
}
