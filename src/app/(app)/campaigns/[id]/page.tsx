import { CampaignPage } from '@/ui/campaigns/campaign-page'

export const metadata = { title: 'Campaign' }

export default async function CampaignDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return <CampaignPage id={id} />
}
