import { DashboardPage } from '@/ui/dashboard/dashboard-page'

export const metadata = { title: 'Dashboard' }

export default function Dashboard() {
  return <DashboardPage />
}
