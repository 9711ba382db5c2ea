'use client'
// UI-only state (never server data): whether the navigation drawer is open on small screens.
import { create } from 'zustand'

interface UiState {
  navOpen: boolean
  toggleNav(): void
  closeNav(): void
}

export const useUiStore = create<UiState>((set) => ({
  navOpen: false,
  toggleNav: () => set((s) => ({ navOpen: !s.navOpen })),
  closeNav: () => set({ navOpen: false }),
}))
